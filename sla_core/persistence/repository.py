"""Repositories: queries and writes, never a commit (the unit of work owns that)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sla_core.persistence.models import OPEN_STATUSES, Ticket, TicketCounter, TicketEvent


@dataclass(frozen=True, kw_only=True)
class NextDue:
    """A ticket's next wake-up as the tick planned it from the row at ``seen_version``."""

    ticket_id: int
    seen_version: int
    at: datetime | None


class TicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_ref(self, ref: str) -> Ticket | None:
        # A ticket this unit of work already holds (the one being changed, which the outbox
        # hook looks up again before commit) is not read a second time.
        for held in self.session.identity_map.values():
            if isinstance(held, Ticket) and held.ref == ref:
                return held
        return self.session.scalars(select(Ticket).where(Ticket.ref == ref)).one_or_none()

    def get_by_idempotency_key(self, key: str) -> Ticket | None:
        return self.session.scalars(select(Ticket).where(Ticket.idempotency_key == key)).one_or_none()

    def events(self, ticket_id: int) -> list[TicketEvent]:
        return list(self.session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.seq)))

    def events_of(self, ticket_ids: Sequence[int]) -> dict[int, list[TicketEvent]]:
        out: dict[int, list[TicketEvent]] = {i: [] for i in ticket_ids}
        if ticket_ids:
            rows = self.session.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(ticket_ids))
                                        .order_by(TicketEvent.ticket_id, TicketEvent.seq))
            for row in rows:
                out[row.ticket_id].append(row)
        return out

    def next_number(self, prefix: str, year: int) -> int:
        """The next reference number for (prefix, year), by one atomic upsert. On
        PostgreSQL the counter row stays locked until commit, so concurrent openings
        queue there and get distinct, sequential numbers; a rolled-back opening gives its
        number back. SQLite has a single writer anyway."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(TicketCounter).values(prefix=prefix, year=year, last_number=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[TicketCounter.prefix, TicketCounter.year],
            set_={"last_number": TicketCounter.last_number + 1},
        ).returning(TicketCounter.last_number)
        return int(self.session.execute(stmt).scalar_one())

    def add(self, ticket: Ticket) -> None:
        self.session.add(ticket)
        self.session.flush()

    def append_event(self, event: TicketEvent) -> None:
        self.session.add(event)

    def update_if_version(self, ticket_id: int, version: int, values: dict[str, Any]) -> bool:
        """``UPDATE tickets SET …, version = version + 1 WHERE id = :id AND version = :v``;
        False when another transaction changed the ticket first (row count 0). On
        PostgreSQL the loser waits on the row lock, then sees the new version."""
        result = self.session.execute(
            update(Ticket).where(Ticket.id == ticket_id, Ticket.version == version)
            .values(**values, version=version + 1).execution_options(synchronize_session=False))
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def due_before(self, instant: datetime, *, statuses: Iterable[str] = OPEN_STATUSES, limit: int | None = None,
                   skip_locked: bool = False) -> list[Ticket]:
        """Tickets whose ``next_due_at`` has come by ``instant``: one range scan of the
        partial index. ``skip_locked`` (the scheduler's tick) locks the rows it returns on
        PostgreSQL and passes over those another replica holds, so replicas plan disjoint
        tickets; SQLite has a single writer."""
        stmt = (select(Ticket).where(Ticket.status.in_(tuple(statuses)), Ticket.next_due_at <= instant)
                .order_by(Ticket.next_due_at, Ticket.id).limit(limit))
        if skip_locked and self.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        return list(self.session.scalars(stmt))

    def set_next_due(self, wakeups: Sequence[NextDue]) -> None:
        """Store each ticket's next wake-up, as planned by the tick, in one executemany.
        No version bump, and only where the version is still the one planned from: an event
        saved meanwhile set its own value (due now, for re-planning) and wins."""
        if not wakeups:
            return
        table = Ticket.metadata.tables[Ticket.__tablename__]  # Core: one executemany, no ORM sync
        self.session.execute(
            update(table).where(table.c.id == bindparam("ticket_id"), table.c.version == bindparam("seen_version"))
            .values(next_due_at=bindparam("wakeup")),
            [{"ticket_id": w.ticket_id, "seen_version": w.seen_version, "wakeup": w.at} for w in wakeups])

    def refresh(self, ticket: Ticket) -> None:
        self.session.refresh(ticket)

    def open_queue(self, assignee_id: str | None = None, *, limit: int | None = None) -> list[Ticket]:
        stmt = select(Ticket).where(Ticket.status.in_(OPEN_STATUSES))
        if assignee_id is not None:
            stmt = stmt.where(Ticket.assignee_id == assignee_id)
        stmt = stmt.order_by(Ticket.next_due_at.asc().nulls_last(), Ticket.id).limit(limit)
        return list(self.session.scalars(stmt))

    def open_for_reporter(self, reporter_id: str) -> list[Ticket]:
        return list(self.session.scalars(
            select(Ticket).where(Ticket.reporter_id == reporter_id, Ticket.status.in_(OPEN_STATUSES))
            .order_by(Ticket.opened_at, Ticket.id)))

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(Ticket)) or 0)
