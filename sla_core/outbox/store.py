"""Writing to and claiming from the outbox, on SQLite and PostgreSQL.

Enqueueing is ``INSERT … ON CONFLICT (key) DO NOTHING`` in the caller's transaction.
Claiming differs by database: PostgreSQL locks the rows it takes with
``SELECT … FOR UPDATE SKIP LOCKED`` so that replicas take disjoint batches; SQLite has a
single writer (our engine opens every transaction with ``BEGIN IMMEDIATE``), so a plain
select-then-update inside one transaction cannot race.

A claim is a lease (``claimed_until``) that its holder renews while it works on the row
(``renew``, from ``bot/delivery/claims.py``). A row ``sending`` past its lease has lost its
holder (dead or stalled): ``claim`` takes it over, counts it (``takeovers``) and flags it
``outcome_unknown``; ``stale_claims`` lists such rows meanwhile, for ``/healthz``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sla_core.outbox.codec import UnreadableNotice, decode_address, decode_payload, encode_address, encode_payload
from sla_core.outbox.model import Notification, OutboxEntry
from sla_core.outbox.models import OutboxRow

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
DIGESTED = "digested"  # decided, and told as part of a digest row: never sent on its own


def enqueue(session: Session, notifications: Iterable[Notification], *, now: datetime,
            status: str = PENDING) -> list[Notification]:
    """Add notifications to the outbox in the session's transaction; returns those that
    were new (a key already there is left as it is: deciding twice writes one row)."""
    unique = list({n.key: n for n in notifications}.values())
    if not unique:
        return []
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{
        "key": n.key, "ticket_id": n.ticket_id, "kind": n.kind.value, "audience": encode_address(n.address),
        "payload": encode_payload(n.payload), "due_at": n.due_at, "ready_at": n.ready_at or n.due_at,
        "status": status, "attempts": 0, "created_at": now,
    } for n in unique]
    # RETURNING names the rows actually inserted: a row count cannot be trusted here
    # (psycopg 3 reports -1 for INSERT … ON CONFLICT through SQLAlchemy's executemany path).
    # One cached statement executed for many rows (SQLAlchemy's "insertmanyvalues"), not
    # a VALUES list compiled afresh for every batch size.
    statement = insert(OutboxRow).on_conflict_do_nothing(index_elements=["key"]).returning(OutboxRow.key)
    inserted = set(session.scalars(statement, rows))
    return [n for n in unique if n.key in inserted]


def claim(session: Session, *, worker: str, now: datetime, lease: timedelta, limit: int = 50) -> list[OutboxEntry]:
    """Take up to ``limit`` ready rows for ``worker`` until ``now + lease``. Rows whose
    previous lease ran out mid-send are taken over: counted in ``takeovers`` and flagged
    ``outcome_unknown``."""
    ready = or_(
        and_(OutboxRow.status == PENDING, OutboxRow.ready_at <= now),
        and_(OutboxRow.status == SENDING, OutboxRow.claimed_until < now),
    )
    query = select(OutboxRow).where(ready).order_by(OutboxRow.ready_at, OutboxRow.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    entries = []
    for row in rows:
        unknown = row.status == SENDING  # its lease expired: an earlier send may have landed
        if unknown:
            row.takeovers = (row.takeovers or 0) + 1
        row.status, row.claimed_by, row.claimed_until = SENDING, worker, now + lease
        row.attempts += 1
        entry = _entry(row, outcome_unknown=unknown)
        if entry is not None:
            entries.append(entry)
    session.flush()
    return entries


def renew(session: Session, *, ids: Collection[int], worker: str, now: datetime, lease: timedelta) -> set[int]:
    """Extend ``worker``'s claims on ``ids`` to ``now + lease``. Returns the ids that are
    still its own: a row missing from the answer was taken over by another worker (or is
    no longer ``sending``), and its former holder must not send it."""
    if not ids:
        return set()
    statement = (update(OutboxRow)
                 .where(OutboxRow.id.in_(list(ids)), OutboxRow.claimed_by == worker, OutboxRow.status == SENDING)
                 .values(claimed_until=now + lease)
                 .returning(OutboxRow.id))
    return set(session.scalars(statement))


def _entry(row: OutboxRow, *, outcome_unknown: bool) -> OutboxEntry | None:
    """The row as a typed entry; a row that is not a notice is failed on the spot (and
    shown by /healthz) instead of stopping every pass that claims it."""
    try:
        payload, address = decode_payload(row.kind, row.payload), decode_address(row.audience)
    except UnreadableNotice as exc:
        row.status, row.claimed_until, row.last_error = FAILED, None, str(exc)[:2000]
        return None
    return OutboxEntry(id=row.id, key=row.key, payload=payload, address=address, ticket_id=row.ticket_id,
                       due_at=row.due_at, attempts=row.attempts, outcome_unknown=outcome_unknown,
                       created_at=row.created_at)


def mark_sent(session: Session, *, entry_id: int, worker: str, now: datetime,
              channel: str | None, ts: str | None) -> bool:
    """Record delivery. False when the row is no longer ours (its lease ran out and
    another worker took it): the caller then leaves it to that worker."""
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == entry_id, OutboxRow.claimed_by == worker, OutboxRow.status == SENDING)
        .values(status=SENT, sent_at=now, slack_channel=channel, slack_ts=ts, claimed_until=None, last_error=None)
    )
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def thread_start(session: Session, *, ticket_id: int, audience: str, before_id: int) -> str | None:
    """The ts of a ticket's first message posted to ``audience`` (a threaded address), for
    the later ones to reply under; None when there is none (this one is the first). Rows
    that will never be posted (failed, digested) do not count; raises ``ThreadPending``
    while the first is still to be sent. On ``ix_outbox_ticket`` (ticket_id, id)."""
    first = session.execute(
        select(OutboxRow.status, OutboxRow.slack_ts)
        .where(OutboxRow.ticket_id == ticket_id, OutboxRow.id < before_id, OutboxRow.audience == audience,
               OutboxRow.status.in_((PENDING, SENDING, SENT)))
        .order_by(OutboxRow.id).limit(1)).one_or_none()
    if first is None:
        return None
    if first.status != SENT or not first.slack_ts:
        raise ThreadPending(audience)
    return str(first.slack_ts)


class ThreadPending(Exception):
    """The first message of a thread is not posted yet: the reply waits for it."""


def release(session: Session, *, entry_id: int, worker: str, error: str, retry_at: datetime,
            give_up: bool = False) -> None:
    """A failed attempt: back to pending at ``retry_at``, or ``failed`` for good (then
    ``/healthz`` reports it; nothing is dropped silently)."""
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == entry_id, OutboxRow.claimed_by == worker, OutboxRow.status == SENDING)
        .values(status=FAILED if give_up else PENDING, ready_at=retry_at, claimed_until=None,
                last_error=error[:2000])
    )


def postpone(session: Session, *, entry_id: int, worker: str, ready_at: datetime) -> None:
    """Not an attempt: the row waits for something (e.g. the ticket's root post)."""
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == entry_id, OutboxRow.claimed_by == worker)
        .values(status=PENDING, ready_at=ready_at, claimed_until=None, attempts=OutboxRow.attempts - 1)
    )


def counts(session: Session) -> dict[str, int]:
    """Rows per status, for /healthz and /metrics."""
    result = {PENDING: 0, SENDING: 0, SENT: 0, FAILED: 0}
    for status, n in session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)):
        result[status] = n
    return result


def stale_claims(session: Session, *, now: datetime, limit: int = 20) -> tuple[int, Sequence[OutboxRow]]:
    """Rows held by a claim its holder stopped renewing (``claimed_until`` passed while
    ``sending``): how many, and the oldest ``limit`` of them. They wait for a take-over."""
    stale = and_(OutboxRow.status == SENDING, OutboxRow.claimed_until < now)
    total = session.scalar(select(func.count()).select_from(OutboxRow).where(stale)) or 0
    if not total or limit <= 0:
        return total, []
    return total, list(session.scalars(select(OutboxRow).where(stale).order_by(OutboxRow.claimed_until).limit(limit)))


def takeovers(session: Session) -> int:
    """How many claims were taken over from a holder that stopped renewing, all rows together."""
    total = select(func.coalesce(func.sum(OutboxRow.takeovers), 0)).where(OutboxRow.takeovers > 0)
    return int(session.scalar(total) or 0)


def failing(session: Session, *, min_attempts: int = 3, limit: int = 20) -> Sequence[OutboxRow]:
    """Rows that failed for good or keep failing: what /healthz must show."""
    query = (select(OutboxRow)
             .where(or_(OutboxRow.status == FAILED,
                        and_(OutboxRow.status == PENDING, OutboxRow.attempts >= min_attempts)))
             .order_by(OutboxRow.id).limit(limit))
    return list(session.scalars(query))


def landed(session: Session, *, ticket_id: int, kind: str) -> tuple[str, str] | None:
    """Where the first sent notice of ``kind`` about a ticket landed in Slack (channel, ts):
    the reporter's receipt DM, which later notices edit in place. None until it is sent."""
    row = session.execute(
        select(OutboxRow.slack_channel, OutboxRow.slack_ts)
        .where(OutboxRow.ticket_id == ticket_id, OutboxRow.kind == kind, OutboxRow.status == SENT)
        .order_by(OutboxRow.id).limit(1)
    ).first()
    if row is None or not row[0] or not row[1]:
        return None
    return row[0], row[1]
