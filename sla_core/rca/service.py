"""The RCA services: one call, one transaction, ``now`` passed in.

- ``save_draft``: an agent writes (first call: version 1; later calls edit the draft; after
  a version was sent, the next call starts its correction, a new version);
- ``submit``: the draft goes to the leads (``rca.approval_required``), or straight out;
- ``approve``: a lead approves; it is sent at once.

Sending records ``rca_approved`` / ``rca_sent`` in the ticket's log (through
``TicketChange``, so the thread and the root post hear of it) and owes the reporter the
document (``RcaDocument``), in the same transaction as the version it sends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from sla_core.authorization import Capability, Role, authorize, desk_actor
from sla_core.config.rca_section import RcaSettings
from sla_core.field_limits import RCA_TEXTS
from sla_core.outbox.address import DirectMessage, EscalationRung, Rung
from sla_core.outbox.model import Notification, RcaApproval, RcaDocument
from sla_core.outbox.store import enqueue
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.rca.errors import RcaError
from sla_core.rca.model import RcaContent, RcaStatus, RcaView
from sla_core.rca.models import RcaRow
from sla_core.tickets.actions import Action
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.transaction import Conflict, TicketChange, ticket_of

ATTEMPTS = 5


def view_of(ref: str, row: RcaRow) -> RcaView:
    return RcaView(id=row.id, ticket_ref=ref, version=row.version, status=RcaStatus(row.status),
                   content=RcaContent.from_json(row.content), author_id=row.author_id, created_at=row.created_at,
                   updated_at=row.updated_at, edits=row.edits, submitted_at=row.submitted_at,
                   approved_by=row.approved_by, approved_at=row.approved_at, sent_at=row.sent_at,
                   corrects=row.corrects)


def _latest(uow: UnitOfWork, ticket_id: int) -> RcaRow | None:
    return uow.session.scalars(select(RcaRow).where(RcaRow.ticket_id == ticket_id)
                               .order_by(RcaRow.version.desc()).limit(1)).first()


def check_content(content: RcaContent) -> None:
    """Refuse texts longer than their limit (a forged request is not bound by the modal)."""
    texts = {"summary": content.summary, "impact_who": content.impact.who, "root_cause": content.root_cause,
             "resolution": content.resolution}
    for name, value in texts.items():
        limit = RCA_TEXTS[name].max_length
        if len(value) > limit:
            raise RcaError(f"{name} is longer than {limit} characters", code="rca_text_too_long", field=name,
                           max=limit, length=len(value))
    if content.impact.start and content.impact.end and content.impact.end < content.impact.start:
        raise RcaError("the impact ends before it starts", code="rca_impact_order", field="impact_end")


def save_draft(uow: UnitOfWork, *, support: SupportConfig, ticket_ref: str, actor_id: str, content: RcaContent,
               now: datetime) -> RcaView:
    authorize(desk_actor(actor_id, support=support), Capability.WRITE_RCA)
    check_content(content)
    with uow:
        ticket = ticket_of(uow, ticket_ref)
        latest = _latest(uow, ticket.id)
        if latest is not None and latest.status in (RcaStatus.DRAFT, RcaStatus.SUBMITTED):
            latest.content, latest.updated_at, latest.edits = content.to_json(), now, latest.edits + 1
            latest.status, latest.submitted_at = RcaStatus.DRAFT.value, None  # edited: approve what is final
            row = latest
        else:
            row = RcaRow(ticket_id=ticket.id, version=(latest.version + 1) if latest else 1,
                         status=RcaStatus.DRAFT.value, content=content.to_json(), author_id=actor_id,
                         created_at=now, updated_at=now, edits=1,
                         corrects=latest.version if latest is not None else None)
            uow.session.add(row)
        uow.session.flush()
        view = view_of(ticket_ref, row)
        uow.commit()
        return view


def submit(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, settings: RcaSettings, ticket_ref: str,
           actor_id: str, now: datetime) -> RcaView:
    """Send the draft to the leads, or out at once when no approval is configured."""
    role = authorize(desk_actor(actor_id, support=support), Capability.WRITE_RCA)
    for _ in range(ATTEMPTS):
        try:
            with uow:
                change = TicketChange(uow, policy=policy, ref=ticket_ref, now=now)
                row = _latest(uow, change.row.id)
                if row is None or row.status != RcaStatus.DRAFT.value:
                    raise RcaError(f"{ticket_ref} has no RCA draft to submit", code="rca_no_draft", ref=ticket_ref)
                missing = RcaContent.from_json(row.content).missing()
                if missing:
                    raise RcaError(f"{ticket_ref}: the RCA still needs {', '.join(missing)}", code="rca_incomplete",
                                   ref=ticket_ref, fields=list(missing))
                row.status, row.submitted_at, row.updated_at = RcaStatus.SUBMITTED.value, now, now
                if settings.approval_required:
                    enqueue(uow.session, [Notification(
                        key=f"rca:t{change.row.id}:v{row.version}:approval:{row.edits}",
                        payload=RcaApproval(ref=ticket_ref, version=row.version, author=actor_id),
                        address=EscalationRung(rung=Rung.LEADS), due_at=now, ticket_id=change.row.id)], now=now)
                    uow.session.flush()
                else:
                    _send(uow, change, row, by=actor_id, role=role.value, now=now, approved=False)
                view = view_of(ticket_ref, row)
                uow.commit()
                return view
        except Conflict:
            continue
    raise RcaError(f"{ticket_ref} kept changing; try again.", code="concurrent_change", ref=ticket_ref)


def approve(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str, actor_id: str,
            now: datetime) -> RcaView:
    """A lead approves the submitted version: it is sent to the reporter now."""
    authorize(desk_actor(actor_id, support=support), Capability.APPROVE_RCA)
    for _ in range(ATTEMPTS):
        try:
            with uow:
                change = TicketChange(uow, policy=policy, ref=ticket_ref, now=now)
                row = _latest(uow, change.row.id)
                if row is None or row.status != RcaStatus.SUBMITTED.value:
                    sent = row is not None and row.status == RcaStatus.SENT.value
                    raise RcaError(f"{ticket_ref} has no RCA waiting for approval", ref=ticket_ref,
                                   code="rca_already_sent" if sent else "rca_not_submitted",
                                   by=row.approved_by if sent and row is not None else None)
                change.append(Action.APPROVE_RCA, actor_id=actor_id, role=Role.LEAD.value,
                              payload={"version": row.version})
                _send(uow, change, row, by=actor_id, role=Role.LEAD.value, now=now, approved=True)
                view = view_of(ticket_ref, row)
                uow.commit()
                return view
        except Conflict:
            continue
    raise RcaError(f"{ticket_ref} kept changing; try again.", code="concurrent_change", ref=ticket_ref)


def _send(uow: UnitOfWork, change: TicketChange, row: RcaRow, *, by: str, role: str, now: datetime,
          approved: bool) -> None:
    if approved:
        row.approved_by, row.approved_at = by, now
    row.status, row.sent_at, row.updated_at = RcaStatus.SENT.value, now, now
    change.append(Action.SEND_RCA, actor_id=by, role=role, payload={"version": row.version})
    change.save()
    enqueue(uow.session, [Notification(
        key=f"rca:t{change.row.id}:v{row.version}:document",
        payload=RcaDocument(ref=change.row.ref, version=row.version, correction=row.corrects is not None),
        address=DirectMessage(), due_at=now, ticket_id=change.row.id)], now=now)
    uow.session.flush()


# ---- reading ---------------------------------------------------------------------------------
def versions(uow: UnitOfWork, *, ticket_ref: str) -> list[RcaView]:
    """Every version of the ticket's RCA, oldest first."""
    with uow:
        ticket = ticket_of(uow, ticket_ref)
        rows = uow.session.scalars(select(RcaRow).where(RcaRow.ticket_id == ticket.id)
                                   .order_by(RcaRow.version)).all()
        return [view_of(ticket_ref, r) for r in rows]


def latest(uow: UnitOfWork, *, ticket_ref: str, sent_only: bool = True) -> RcaView | None:
    """The latest version sent (or, with ``sent_only=False``, the latest of all)."""
    chosen = [v for v in versions(uow, ticket_ref=ticket_ref) if v.status is RcaStatus.SENT or not sent_only]
    return chosen[-1] if chosen else None


def first_sent_at(uow: UnitOfWork, ticket_ids: list[int]) -> dict[int, datetime]:
    """When each ticket's RCA first reached its reader (version 1's sending)."""
    if not ticket_ids:
        return {}
    rows = uow.session.execute(select(RcaRow.ticket_id, func.min(RcaRow.sent_at))
                               .where(RcaRow.ticket_id.in_(ticket_ids), RcaRow.sent_at.is_not(None))
                               .group_by(RcaRow.ticket_id)).all()
    return {ticket_id: at for ticket_id, at in rows}
