"""The scheduler's RCA pass, run with every tick: the ticket's agent is reminded
``rca.remind_before`` an RCA falls due, and an RCA not delivered by its due escalates like
a breach, one rung of the severity's escalation chain every ``repeat_every`` (the ticket's
thread, broadcast; the leads' channel; on-call), each rung told once.

Exactly once as the ticket notices are: every notice has a key naming the ticket, the
resolution it follows (a reopened and resolved again ticket owes a new RCA) and the step,
and the outbox keeps the first row of a key (``ON CONFLICT DO NOTHING``), whichever
replica decides it first and however many times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from sla_core.config.rca_section import RcaSettings
from sla_core.config.scheduling import SchedulerConfig
from sla_core.outbox.address import Address, DirectMessage, EscalationRung, Rung, TicketThread
from sla_core.outbox.model import Notification, RcaLate, RcaReminder
from sla_core.outbox.store import enqueue
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.rca.due import reminder_at
from sla_core.rca.model import Obligation
from sla_core.rca.models import RcaRow
from sla_core.rca.obligations import obligations
from sla_core.severity import Severity

_RUNG_ADDRESS: dict[str, Address] = {
    "severity_channel": TicketThread(broadcast=True), "leads": EscalationRung(rung=Rung.LEADS),
    "on_call": EscalationRung(rung=Rung.ON_CALL),
}


def run_rca_tick(new_uow: Callable[[], UnitOfWork], *, policy: Policy, settings: RcaSettings,
                 config: SchedulerConfig, now: datetime) -> int:
    """Decide what is owed at ``now``; returns how many new outbox rows were written."""
    uow = new_uow()
    with uow:
        owed = obligations(uow, policy=policy, settings=settings, undelivered_only=True)
        versions = _latest_versions(uow, [o.ticket_id for o in owed])
        notices = [n for o in owed for n in due_notices(policy, settings, config, o, versions.get(o.ticket_id, 0),
                                                       now=now)]
        written = len(enqueue(uow.session, notices, now=now)) if notices else 0
        uow.commit()
    return written


def due_notices(policy: Policy, settings: RcaSettings, config: SchedulerConfig, owed: Obligation, version: int,
                *, now: datetime) -> list[Notification]:
    """The notices ``owed`` has fallen due for by ``now`` (all of them: the outbox keeps
    those it already has)."""
    if owed.delivered_at is not None:
        return []
    base = f"rca:t{owed.ticket_id}:r{owed.resolved_at.astimezone(UTC).isoformat(timespec='seconds')}"
    out: list[Notification] = []
    # After the due, the lateness says it (a late reminder would not help): the reminder's
    # instant, a search in the calendar, is only worked out before.
    remind = reminder_at(policy, settings, due_at=owed.due_at) if now < owed.due_at else None
    if remind is not None and remind <= now:
        out.append(Notification(
            key=f"{base}:remind", ticket_id=owed.ticket_id, due_at=remind,
            payload=RcaReminder(ref=owed.ticket_ref, version=version, due=owed.due_at, agent=owed.assignee_id),
            address=DirectMessage(user_id=owed.assignee_id) if owed.assignee_id else TicketThread()))
    escalation = config.escalation[Severity(owed.severity)]
    calendar = policy.calendar(escalation.calendar)
    for level, rung in enumerate(escalation.chain):
        at = calendar.add(owed.due_at, escalation.repeat_every * level) if level else owed.due_at
        if at > now:
            break
        out.append(Notification(
            key=f"{base}:late:{level}", ticket_id=owed.ticket_id, due_at=at,
            payload=RcaLate(ref=owed.ticket_ref, version=version, due=owed.due_at, level=level),
            address=_RUNG_ADDRESS[rung]))
    return out


def _latest_versions(uow: UnitOfWork, ticket_ids: list[int]) -> dict[int, int]:
    if not ticket_ids:
        return {}
    rows = uow.session.execute(select(RcaRow.ticket_id, func.max(RcaRow.version))
                               .where(RcaRow.ticket_id.in_(ticket_ids)).group_by(RcaRow.ticket_id)).all()
    return {ticket_id: version for ticket_id, version in rows}
