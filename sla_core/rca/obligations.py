"""Which resolved tickets owe an RCA, by when, and whether it was delivered: a required
severity (``rca.severities``), a reporter's request, or an agent who started one. Read by
the scheduler (reminders, lateness) and the monthly report (due, on time, late)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from sla_core.config.rca_section import RcaSettings
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.rca.due import rca_due
from sla_core.rca.model import Obligation
from sla_core.rca.models import RcaRow
from sla_core.rca.service import first_sent_at
from sla_core.severity import Severity
from sla_core.tickets.actions import EventKind


def obligations(uow: UnitOfWork, *, policy: Policy, settings: RcaSettings,
                resolved_after: datetime | None = None, undelivered_only: bool = False) -> list[Obligation]:
    """Every resolved ticket owing an RCA (inside ``uow``'s open transaction); with
    ``undelivered_only``, those whose reporter has not received one yet."""
    required = [s.value for s in Severity if settings.required_for(s)]
    requested = select(TicketEvent.ticket_id).where(TicketEvent.type == EventKind.RCA_REQUESTED.value)
    started = select(RcaRow.ticket_id)
    query = select(Ticket).where(Ticket.resolved_at.is_not(None),
                                 or_(Ticket.severity.in_(required), Ticket.id.in_(requested), Ticket.id.in_(started)))
    if undelivered_only:
        query = query.where(Ticket.id.not_in(select(RcaRow.ticket_id).where(RcaRow.sent_at.is_not(None))))
    if resolved_after is not None:
        query = query.where(Ticket.resolved_at >= resolved_after)
    rows = uow.session.scalars(query.order_by(Ticket.resolved_at)).all()
    delivered = first_sent_at(uow, [r.id for r in rows])
    out = []
    for row in rows:
        assert row.resolved_at is not None
        out.append(Obligation(
            ticket_ref=row.ref, ticket_id=row.id, severity=row.severity, assignee_id=row.assignee_id,
            resolved_at=row.resolved_at, due_at=rca_due(policy, settings, resolved_at=row.resolved_at),
            delivered_at=delivered.get(row.id),
            why="required" if row.severity in required else "requested"))
    return out
