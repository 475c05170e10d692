"""The ticket services: one call, one transaction (``with uow: … uow.commit()``).

Every function is keyword-only, takes ``now`` (the domain never reads the clock) and ids,
and returns a frozen ``TicketView`` (the ticket, its log, its clocks at ``now`` and the
events this call appended). Permissions are checked before the ticket's status, so a
stranger learns nothing about a ticket."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from sla_core.field_limits import ACTION_TEXTS, too_long
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets.errors import ConcurrentChange, IllegalTransition, MissingReason, TextTooLong, TicketError
from sla_core.tickets.intake import TicketForm, account_for_reporter, validate_form
from sla_core.tickets.lifecycle import Action, EventKind, Status
from sla_core.tickets.records import clocks_of, due_for_planning, event_view, ticket_view
from sla_core.tickets.roles import SYSTEM_ACTOR, Role, authorize, roles_of
from sla_core.tickets.support import Account, SupportConfig
from sla_core.tickets.transaction import Conflict, TicketChange
from sla_core.tickets.views import EventView, TicketView

ATTEMPTS = 5  # a lost optimistic race is retried from a fresh read this many times
CALLBACK_CHANNELS = ("phone", "email", "slack")
RESOLUTION_KINDS = ("fix", "workaround")


def open_ticket(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, reporter_id: str,
                form: TicketForm, idempotency_key: str | None, now: datetime) -> TicketView:
    """Open a ticket for an administrator of an active account. The same
    ``idempotency_key`` twice returns the first ticket instead of a second one."""
    account = account_for_reporter(support, reporter_id, form.account_id)
    valid = validate_form(form, support)
    for _ in range(ATTEMPTS):
        try:
            with uow:
                if idempotency_key is not None:
                    existing = uow.tickets.get_by_idempotency_key(idempotency_key)
                    if existing is not None:
                        return _existing(uow, policy, existing, reporter_id, now)
                _upsert_account(uow, account)
                year = now.astimezone(policy.timezone).year
                number = uow.tickets.next_number(support.reference_prefix, year)
                ref = f"{support.reference_prefix}-{year}-{number:06d}"
                opened = EventView(ticket_ref=ref, seq=1, type=EventKind.OPENED, actor_id=reporter_id,
                                   role=Role.REPORTER.value, at=now,
                                   payload={"severity": valid.severity.value, "title": valid.title,
                                            "category": valid.category.value,
                                            "product_version": valid.product_version})
                report = clocks_of(policy, opened_at=now, events=[opened], now=now)
                row = Ticket(
                    ref=ref, idempotency_key=idempotency_key, reporter_id=reporter_id, account_id=account.id,
                    assignee_id=None, title=valid.title, description=valid.description,
                    category=valid.category.value, product_version=valid.product_version,
                    language=valid.language, contact_channel=valid.contact_channel,
                    contact_phone=valid.contact_phone, affected_users=valid.affected_users,
                    code_sample=valid.code_sample, severity=valid.severity.value, status=Status.OPENED.value,
                    opened_at=now, updated_at=now, next_due_at=due_for_planning(Status.OPENED, now), version=1)
                uow.tickets.add(row)  # flush: a concurrent double submission fails here
                uow.tickets.append_event(TicketEvent(
                    ticket_id=row.id, seq=1, actor_id=reporter_id, role=opened.role, at=now,
                    type=opened.type.value, payload=dict(opened.payload)))
                uow.session.flush()
                uow.record([opened])
                view = ticket_view(row, [opened], report, [opened])
                uow.commit()
                return view
        except IntegrityError:
            continue  # the other submission won (or a new account row raced): read again
    raise ConcurrentChange("The ticket could not be opened because of concurrent changes; try again.",
                           code="concurrent_change")


def acknowledge(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str, actor_id: str,
                channel: str, note: str, now: datetime) -> TicketView:
    """The callback: the first human contact that starts diagnosis (stops the callback
    clock). The acknowledging agent becomes the assignee if there is none."""
    if channel not in CALLBACK_CHANNELS:
        raise TicketError(f'"{channel}" is not a callback channel (phone, email or Slack).',
                          code="invalid_channel", channel=channel, choices=list(CALLBACK_CHANNELS))

    def extra(change: TicketChange) -> None:
        if change.row.assignee_id is None:
            change.values["assignee_id"] = actor_id
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.ACKNOWLEDGE, payload={"channel": channel, "note": note.strip()}, extra=extra)


def post_update(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str, actor_id: str,
                text: str, now: datetime) -> TicketView:
    """A customer-visible update (restarts the update clock)."""
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.POST_UPDATE, payload={"text": _required(text, "text", "an update needs a text")})


def snooze_reminder(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str, actor_id: str,
                    minutes: int, now: datetime) -> TicketView:
    """"Remind me in N minutes": warnings and reminders of this ticket wait until then
    (breaches and pages do not). Recorded in the log with its end."""
    if not 1 <= minutes <= 24 * 60:
        raise TicketError("A snooze lasts from 1 minute to 24 hours.", code="snooze_out_of_range", minutes=minutes)
    until = (now + timedelta(minutes=minutes)).isoformat()
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.SNOOZE_REMINDER, payload={"minutes": minutes, "until": until})


def add_internal_note(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str,
                      actor_id: str, text: str, now: datetime) -> TicketView:
    """A note for agents only: the customer never sees it, so no clock moves."""
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.ADD_INTERNAL_NOTE, payload={"text": _required(text, "text", "a note needs a text")})


def set_waiting_on_customer(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str,
                            actor_id: str, question: str, now: datetime) -> TicketView:
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.SET_WAITING_ON_CUSTOMER, payload={"question": question.strip()})


def customer_replied(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str,
                     actor_id: str, text: str, now: datetime) -> TicketView:
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.CUSTOMER_REPLIED, payload={"text": text.strip()})


def propose_resolution(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str,
                       actor_id: str, kind: str, text: str, now: datetime) -> TicketView:
    """A permanent fix or a workaround; the customer accepts, rejects, or stays silent
    past ``policy.auto_accept_after``."""
    if kind not in RESOLUTION_KINDS:
        raise TicketError(f'"{kind}" is not a kind of resolution (fix or workaround).',
                          code="invalid_resolution_kind", kind=kind, choices=list(RESOLUTION_KINDS))
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.PROPOSE_RESOLUTION,
                payload={"kind": kind, "text": _required(text, "text", "describe the fix or workaround")})


def accept_resolution(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str,
                      actor_id: str, now: datetime) -> TicketView:
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.ACCEPT_RESOLUTION, payload={})


def reject_resolution(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str,
                      actor_id: str, reason: str, now: datetime) -> TicketView:
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.REJECT_RESOLUTION, payload={"reason": _reason(reason, "rejecting a resolution")})


def change_severity(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str,
                    actor_id: str, severity: Severity, reason: str, now: datetime) -> TicketView:
    why = _reason(reason, "changing the severity")

    def extra(change: TicketChange) -> None:
        current = Severity(change.row.severity)
        if current is severity:
            raise TicketError(f"{change.row.ref} is already {severity.value}.", code="severity_unchanged",
                              ref=change.row.ref, severity=severity.value)
        change.new[-1] = _with_payload(change, {"from": current.value, "to": severity.value, "reason": why})
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.CHANGE_SEVERITY, payload={"to": severity.value, "reason": why}, extra=extra)


def close(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str, actor_id: str,
          now: datetime) -> TicketView:
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.CLOSE, payload={})


def reopen(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str, actor_id: str,
           reason: str, now: datetime) -> TicketView:
    """Reopen a resolved ticket within ``support.reopen_within`` of its resolution."""
    why = _reason(reason, "reopening a ticket")

    def check(change: TicketChange) -> None:
        resolved_at = change.row.resolved_at
        if change.status is Status.RESOLVED and resolved_at is not None:
            deadline = support.reopen_deadline(policy, resolved_at)
            if change.at > deadline:
                raise IllegalTransition(
                    f"{change.row.ref} was resolved too long ago to be reopened (until "
                    f"{deadline.astimezone(policy.timezone).isoformat(timespec='minutes')}): open a new ticket.",
                    code="reopen_window_passed", ref=change.row.ref, deadline=deadline.isoformat())
    return _act(uow, policy=policy, support=support, ref=ticket_ref, actor_id=actor_id, now=now,
                action=Action.REOPEN, payload={"reason": why}, check=check)


def auto_accept_due(uow: UnitOfWork, *, policy: Policy, now: datetime, limit: int = 500) -> list[TicketView]:
    """The scheduler's call: accept every proposal left unanswered past the configured
    silence, each in its own transaction, recorded at the instant it took effect."""
    with uow:
        refs = [t.ref for t in uow.tickets.due_before(now, statuses=(Status.RESOLUTION_PROPOSED.value,),
                                                      limit=limit)]
    accepted = []
    for ref in refs:
        for _ in range(ATTEMPTS):
            try:
                with uow:
                    change = TicketChange(uow, policy=policy, ref=ref, now=now)
                    if change.settle_auto_accept():
                        view = change.save()
                        uow.commit()
                        accepted.append(view)
                break
            except (Conflict, IntegrityError):
                continue
    return accepted


def sync_accounts(uow: UnitOfWork, *, support: SupportConfig) -> list[str]:
    """Make the customer accounts table match ``support.accounts`` (idempotent). Accounts
    no longer configured are deactivated, never deleted: their tickets refer to them."""
    changed = []
    with uow:
        for account in support.accounts.values():
            if _upsert_account(uow, account):
                changed.append(account.id)
        for row in uow.accounts.all():
            if row.id not in support.accounts and row.active:
                row.active = False
                changed.append(row.id)
        uow.session.flush()
        uow.commit()
    return changed


# ---- the common path ---------------------------------------------------------------------
def _act(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ref: str, actor_id: str, now: datetime,
         action: Action, payload: Mapping[str, Any], check: Callable[[TicketChange], None] | None = None,
         extra: Callable[[TicketChange], None] | None = None) -> TicketView:
    for name, limit in too_long(payload, ACTION_TEXTS).items():
        raise TextTooLong(field=name, limit=limit.max_length, length=len(payload[name]))
    for _ in range(ATTEMPTS):
        try:
            with uow:
                change = TicketChange(uow, policy=policy, ref=ref, now=now)
                account = support.accounts.get(change.row.account_id)
                roles = roles_of(actor_id, support=support, account_id=change.row.account_id,
                                 reporter_id=change.row.reporter_id)
                role = authorize(action, ref=ref, user_id=actor_id, roles=roles,
                                 account_name=account.name if account else change.row.account_id)
                change.settle_auto_accept()
                if check is not None:
                    check(change)
                change.append(action, actor_id=actor_id, role=role.value, payload=payload)
                if extra is not None:
                    extra(change)
                view = change.save()
                uow.commit()
                return view
        except Conflict:
            continue
    raise ConcurrentChange(f"{ref} kept changing while we tried to save this; try again.", ref=ref)


def _existing(uow: UnitOfWork, policy: Policy, row: Ticket, reporter_id: str, now: datetime) -> TicketView:
    if row.reporter_id != reporter_id:
        raise TicketError("This request was already used for another ticket.", code="idempotency_key_reused")
    events = [event_view(row.ref, e) for e in uow.tickets.events(row.id)]
    return ticket_view(row, events, clocks_of(policy, opened_at=row.opened_at, events=events, now=now))


def _upsert_account(uow: UnitOfWork, account: Account) -> bool:
    members = {u: "end_user" for u in account.end_users}
    members.update({u: "administrator" for u in account.administrators})
    return uow.accounts.upsert(account_id=account.id, name=account.name, active=account.active, members=members)


def _with_payload(change: TicketChange, payload: dict[str, Any]) -> EventView:
    old = change.new[-1]
    new = EventView(ticket_ref=old.ticket_ref, seq=old.seq, type=old.type, actor_id=old.actor_id,
                    role=old.role, at=old.at, payload=payload)
    change.events[-1] = new
    return new


def _required(text: str, field: str, what: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise TicketError(f"Empty {field}: {what}.", code="text_required", field=field)
    return cleaned


def _reason(reason: str, doing: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise MissingReason(f"Give a reason when {doing}.", doing=doing)
    return cleaned


__all__ = [
    "open_ticket", "acknowledge", "post_update", "add_internal_note", "set_waiting_on_customer",
    "customer_replied", "propose_resolution", "accept_resolution", "reject_resolution", "change_severity",
    "close", "reopen", "auto_accept_due", "sync_accounts", "SYSTEM_ACTOR",
]
