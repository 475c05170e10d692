"""Read-only services: tickets as views, clocks derived at the ``now`` given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from sla_core.persistence.engine import single_statement_reads
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.persistence.row_reads import first_row
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets.errors import TicketNotFound
from sla_core.tickets.actions import Action, EventKind
from sla_core.tickets.lifecycle import TRANSITIONS, Status, already_done, done_marks, refusal_given
from sla_core.tickets.views import EventView
from sla_core.tickets.records import clocks_later, clocks_of, event_view, ticket_view
from sla_core.tickets.transaction import ticket_of
from sla_core.tickets.views import TicketView


def get_ticket(uow: UnitOfWork, *, policy: Policy, ticket_ref: str, now: datetime) -> TicketView:
    with uow:
        return _views(uow, policy, [ticket_of(uow, ticket_ref)], now)[0]


def list_open_for_reporter(uow: UnitOfWork, *, policy: Policy, reporter_id: str, now: datetime) -> list[TicketView]:
    with uow:
        return _views(uow, policy, uow.tickets.open_for_reporter(reporter_id), now)


def agent_queue(uow: UnitOfWork, *, policy: Policy, now: datetime, agent_id: str | None = None,
                limit: int | None = None) -> list[TicketView]:
    """Open tickets (assigned to ``agent_id``, or all of them), breached ones first, then
    by next due instant. The database orders by ``next_due_at`` on its partial index;
    "breached" needs the clocks, so the final order is made on the derived views."""
    with uow:
        views = _views(uow, policy, uow.tickets.open_queue(agent_id, limit=limit), now)
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(views, key=lambda v: (not v.breached, v.next_due_at or far, v.id))


@dataclass(frozen=True, kw_only=True)
class TicketParties:
    """Who a ticket belongs to, without its log or clocks: enough to decide who may act."""

    ref: str
    account_id: str
    reporter_id: str
    status: Status
    title: str
    severity: Severity  # the current one (kept on the row with every event)


# Built once: composing the statement on every click cost more CPU than running it.
_PARTIES_BY_REF = (select(Ticket.ref, Ticket.account_id, Ticket.reporter_id, Ticket.status, Ticket.title,
                          Ticket.severity)
                   .where(Ticket.ref == bindparam("ref")))


def ticket_parties(uow: UnitOfWork, *, ticket_ref: str) -> TicketParties:
    """One indexed row (a button's ack checks permissions with this, in well under a
    millisecond, instead of replaying the ticket's whole log), read in one statement
    outside any transaction, through the driver directly (``row_reads``: every click
    reads it)."""
    row = first_row(single_statement_reads(uow.engine), _PARTIES_BY_REF, {"ref": ticket_ref})
    if row is None:
        raise TicketNotFound(ticket_ref)
    ref, account_id, reporter_id, status, title, severity = row
    return TicketParties(ref=ref, account_id=account_id, reporter_id=reporter_id, status=Status(status),
                         title=title, severity=Severity(severity))


def check_still_allowed(uow: UnitOfWork, ticket: TicketParties, action: Action, *, timezone: str) -> None:
    """Refuse a stale button at the click: ``action`` is not allowed from the status the
    row holds. The refusal names who did it and when (``AlreadyDone``) from the one event
    that says so, read by one indexed query (``ticket_id, seq``) on this refusal path only;
    an allowed click reads nothing more."""
    if (ticket.status, action) in TRANSITIONS:
        return
    kinds, first = done_marks(action)
    order = TicketEvent.seq.asc() if first else TicketEvent.seq.desc()
    statement = (select(TicketEvent.seq, TicketEvent.type, TicketEvent.actor_id, TicketEvent.role, TicketEvent.at)
                 .join(Ticket, Ticket.id == TicketEvent.ticket_id)
                 .where(Ticket.ref == ticket.ref, TicketEvent.type.in_([k.value for k in kinds]))
                 .order_by(order).limit(1))
    with uow.reading() as connection:
        row = connection.execute(statement).one_or_none()
    events = [] if row is None else [EventView(ticket_ref=ticket.ref, seq=row.seq, type=EventKind(row.type),
                                               actor_id=row.actor_id, role=row.role, at=row.at, payload={})]
    raise refusal_given(ticket.ref, ticket.status, action, already_done(action, events), timezone=timezone)


def set_slack_message(uow: UnitOfWork, *, ticket_ref: str, channel: str, ts: str) -> None:
    """Record where the ticket's root post is (the Slack layer calls this once posted)."""
    with uow:
        row = ticket_of(uow, ticket_ref)
        row.slack_channel, row.slack_ts = channel, ts
        uow.commit()


def _views(uow: UnitOfWork, policy: Policy, rows: Sequence[Ticket], now: datetime) -> list[TicketView]:
    logs = uow.tickets.events_of([r.id for r in rows])
    out = []
    for row in rows:
        events = [event_view(row.ref, e) for e in logs[row.id]]
        out.append(ticket_view(row, events, clocks_later(policy, opened_at=row.opened_at, events=events, now=now)))
    return out
