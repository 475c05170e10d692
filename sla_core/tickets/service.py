"""The ticket services: one call, one transaction (``with uow: … uow.commit()``).

Every action goes through ``perform``, driven by its declaration
(``sla_core.tickets.actions``): the fields are read and checked as declared, the actor is
authorized (before the ticket's status, so a stranger learns nothing about a ticket), the
transition is checked, the action's rule runs if it has one (``RULES``: what no table can
say), and the event is recorded. The named services (``acknowledge`` …) are ``perform``
with the action filled in.

Every call is keyword-only, takes ``now`` (the domain never reads the clock) and ids, and
returns a frozen ``TicketView`` (the ticket, its log, its clocks at ``now`` and the events
this call appended)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from sla_core.authorization import OPERATOR, SYSTEM_ACTOR, Role, authorize
from sla_core.config.bug_tracker import BugTrackerConfig
from sla_core.persistence.engine import single_statement_reads
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets.actions import DECLARED, Action, ActionSpec, EventKind, Field, FieldKind, Need
from sla_core.tickets.errors import ConcurrentChange, IllegalTransition, MissingReason, TextTooLong, TicketError
from sla_core.tickets.intake import TicketForm, account_for_reporter, validate_form
from sla_core.tickets.records import clocks_later, due_for_planning, event_view, ticket_view
from sla_core.tickets.roles import ticket_actor
from sla_core.tickets.status import Status
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.transaction import Conflict, TicketChange
from sla_core.tickets.source import PERMALINK_MAX, MessageSource
from sla_core.tickets.views import EventView, TicketView

ATTEMPTS = 5  # a lost optimistic race is retried from a fresh read this many times


def open_ticket(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, reporter_id: str,
                form: TicketForm, idempotency_key: str | None, now: datetime,
                source: MessageSource | None = None) -> TicketView:
    """Open a ticket for an administrator of an active account. The same
    ``idempotency_key`` twice returns the first ticket instead of a second one.
    ``source``: the Slack message it is opened from; its ``shared`` is decided here (the
    message's channel is linked to the ticket's account), never taken from the caller."""
    support = directory_view(uow, support, reporter_id, now=now)
    account = account_for_reporter(support, reporter_id, form.account_id)
    valid = validate_form(form, support)
    for _ in range(ATTEMPTS):
        try:
            with uow:
                if idempotency_key is not None:
                    existing = uow.tickets.get_by_idempotency_key(idempotency_key)
                    if existing is not None:
                        return _existing(uow, policy, existing, reporter_id, now)
                year = now.astimezone(policy.timezone).year
                number = uow.tickets.next_number(support.reference_prefix, year)
                ref = f"{support.reference_prefix}-{year}-{number:06d}"
                opened = EventView(ticket_ref=ref, seq=1, type=EventKind.OPENED, actor_id=reporter_id,
                                   role=Role.REPORTER.value, at=now,
                                   payload={"severity": valid.severity.value, "title": valid.title,
                                            "category": valid.category.value,
                                            "product_version": valid.product_version})
                row = Ticket(
                    ref=ref, idempotency_key=idempotency_key, reporter_id=reporter_id, account_id=account.id,
                    assignee_id=None, title=valid.title, description=valid.description,
                    category=valid.category.value, product_version=valid.product_version,
                    language=valid.language, contact_channel=valid.contact_channel,
                    contact_phone=valid.contact_phone, affected_users=valid.affected_users,
                    code_sample=valid.code_sample, severity=valid.severity.value, status=Status.OPENED.value,
                    opened_at=now, updated_at=now, next_due_at=due_for_planning(Status.OPENED, now), version=1)
                if source is not None:
                    row.source_channel, row.source_ts = source.channel, source.ts
                    row.source_permalink = (source.permalink or "")[:PERMALINK_MAX] or None
                    from sla_core.accounts.directory import account_of_channel  # see _seeded

                    row.source_shared = account_of_channel(uow.session, source.channel) == account.id
                uow.tickets.add(row)  # flush: a concurrent double submission fails here
                uow.tickets.append_event(TicketEvent(
                    ticket_id=row.id, seq=1, actor_id=reporter_id, role=opened.role, at=now,
                    type=opened.type.value, payload=dict(opened.payload)))
                uow.session.flush()
                uow.record([opened])
                view = ticket_view(row, [opened], clocks_later(policy, opened_at=now, events=[opened], now=now),
                                   [opened])
                uow.commit()
                return view
        except IntegrityError:
            continue  # the other submission won (or a new account row raced): read again
    raise ConcurrentChange("The ticket could not be opened because of concurrent changes; try again.",
                           code="concurrent_change")


def perform(uow: UnitOfWork, *, action: Action, policy: Policy, support: SupportConfig, ticket_ref: str,
            actor_id: str, now: datetime, bug_tracker: BugTrackerConfig | None = None, **fields: Any) -> TicketView:
    """Do ``action`` on ``ticket_ref`` as ``actor_id``, with its declared ``fields``
    (missing ones count as empty), in one transaction retried on a lost race."""
    spec = DECLARED[action]
    payload = read_fields(spec, fields)
    rule = RULES.get(action)
    _seeded(uow, support, now)  # before the transaction: the seed has its own
    for _ in range(ATTEMPTS):
        try:
            with uow:
                change = TicketChange(uow, policy=policy, ref=ticket_ref, now=now)
                support = directory_view(uow, support, actor_id, account_id=change.row.account_id, now=now,
                                         session=uow.session)
                role = authorize(ticket_actor(actor_id, change.row, support=support), action)
                change.settle_auto_accept()
                change.transition(action)  # refused before any rule looks at the ticket
                given = rule(change, dict(payload), Setting(policy=policy, support=support, actor_id=actor_id,
                                                            now=now, bug_tracker=bug_tracker)) if rule else payload
                change.append(action, actor_id=actor_id, role=role.value, payload=given)
                view = change.save()
                uow.commit()
                return view
        except Conflict:
            continue
    raise ConcurrentChange(f"{ticket_ref} kept changing while we tried to save this; try again.", ref=ticket_ref)


def read_fields(spec: ActionSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of ``spec``'s event from the values given, each checked as declared;
    a value it does not declare is a programming error."""
    unknown = set(given) - {f.name for f in spec.fields}
    if unknown:
        raise TypeError(f"{spec.action.value} takes no {', '.join(sorted(unknown))}")
    return {f.name: _read(f, given.get(f.name), spec.action) for f in spec.fields}


def _read(field: Field, value: Any, action: Action) -> Any:
    if field.kind is FieldKind.FLAG:
        return value is True  # never a truthy string: "false" must not publish
    if field.kind is FieldKind.MINUTES:
        low, high = field.limits
        if not isinstance(value, int) or not low <= value <= high:
            raise TicketError(f"{field.name} must be {low} to {high}", code=field.invalid, field=field.name,
                              **{field.name: value})
        return value
    text = str(getattr(value, "value", value) or "").strip()  # a Severity or a string
    if field.kind in (FieldKind.SELECT, FieldKind.SEVERITY):
        text = text.lower() if field.kind is FieldKind.SEVERITY else text
        if text not in field.choices:
            raise TicketError(f"{text!r} is not one of {', '.join(field.choices)}", code=field.invalid,
                              field=field.name, choices=list(field.choices), **{field.name: text})
        return text
    if not text and field.need is Need.REQUIRED:
        error = MissingReason if field.missing == MissingReason.code else TicketError
        raise error(f"{action.value} needs a {field.name}", code=field.missing, field=field.name,
                    action=action.value)
    if len(text) > field.limits[1]:
        raise TextTooLong(field=field.name, limit=field.limits[1], length=len(text))
    return text


# ---- the rules no declaration can say ----------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Setting:
    policy: Policy
    support: SupportConfig
    actor_id: str
    now: datetime
    bug_tracker: BugTrackerConfig | None = None  # for the bug actions (None: none configured)


# A rule sees the change (its transition already allowed) and returns the event's payload.
Rule = Callable[[TicketChange, dict[str, Any], Setting], Mapping[str, Any]]


def _first_agent_assigned(change: TicketChange, payload: dict[str, Any], setting: Setting) -> Mapping[str, Any]:
    """The acknowledging agent becomes the assignee if there is none."""
    if change.row.assignee_id is None:
        change.values["assignee_id"] = setting.actor_id
    return payload


def _severity_moves(change: TicketChange, payload: dict[str, Any], _: Setting) -> Mapping[str, Any]:
    """The event says from which severity to which (the clocks re-plan from it)."""
    current, wanted = Severity(change.row.severity), Severity(payload["severity"])
    if current is wanted:
        raise TicketError(f"{change.row.ref} is already {wanted.value}", code="severity_unchanged",
                          ref=change.row.ref, severity=wanted.value)
    return {"from": current.value, "to": wanted.value, "reason": payload["reason"]}


def _within_reopen_window(change: TicketChange, payload: dict[str, Any], setting: Setting) -> Mapping[str, Any]:
    """A resolved ticket reopens within ``support.reopen_within`` of its resolution only."""
    resolved_at = change.row.resolved_at
    if resolved_at is not None:
        deadline = setting.support.reopen_deadline(setting.policy, resolved_at)
        if change.at > deadline:
            raise IllegalTransition(f"{change.row.ref} was resolved too long ago to be reopened (until "
                                    f"{deadline.isoformat()})", code="reopen_window_passed",
                                    ref=change.row.ref, deadline=deadline.isoformat())
    return payload


def _snooze_until(_: TicketChange, payload: dict[str, Any], setting: Setting) -> Mapping[str, Any]:
    """Warnings and reminders of this ticket wait until then (breaches and pages do not)."""
    return {**payload, "until": (setting.now + timedelta(minutes=payload["minutes"])).isoformat()}


def _first_rca_request(change: TicketChange, payload: dict[str, Any], _: Setting) -> Mapping[str, Any]:
    """A root-cause analysis is asked for once per ticket (its versions follow on)."""
    if any(e.type is EventKind.RCA_REQUESTED for e in change.events):
        raise TicketError(f"{change.row.ref}: a root-cause analysis was already requested",
                          code="rca_already_requested", ref=change.row.ref)
    return payload


def _bug_rules() -> Any:
    """``sla_core.bugs.service``, imported when first used: it builds on this package."""
    from sla_core.bugs import service as bug_rules

    return bug_rules


RULES: Mapping[Action, Rule] = {
    Action.ACKNOWLEDGE: _first_agent_assigned,
    Action.CHANGE_SEVERITY: _severity_moves,
    Action.REOPEN: _within_reopen_window,
    Action.SNOOZE_REMINDER: _snooze_until,
    Action.REQUEST_RCA: _first_rca_request,
    Action.FILE_BUG: lambda *args: _bug_rules().file_rule(*args),
    Action.LINK_BUG: lambda *args: _bug_rules().link_rule(*args),
}


# ---- the named services: ``perform`` with the action filled in ----------------------------
def _service(action: Action) -> Callable[..., TicketView]:
    def service(uow: UnitOfWork, **kwargs: Any) -> TicketView:
        return perform(uow, action=action, **kwargs)
    service.__name__ = service.__qualname__ = action.value
    return service


acknowledge = _service(Action.ACKNOWLEDGE)
post_update = _service(Action.POST_UPDATE)
add_internal_note = _service(Action.ADD_INTERNAL_NOTE)
set_waiting_on_customer = _service(Action.SET_WAITING_ON_CUSTOMER)
customer_replied = _service(Action.CUSTOMER_REPLIED)
propose_resolution = _service(Action.PROPOSE_RESOLUTION)
accept_resolution = _service(Action.ACCEPT_RESOLUTION)
reject_resolution = _service(Action.REJECT_RESOLUTION)
change_severity = _service(Action.CHANGE_SEVERITY)
close = _service(Action.CLOSE)
reopen = _service(Action.REOPEN)
snooze_reminder = _service(Action.SNOOZE_REMINDER)
request_rca = _service(Action.REQUEST_RCA)


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


def directory_view(uow: UnitOfWork, support: SupportConfig, user_id: str, *, now: datetime,
                   account_id: str | None = None, session: Any = None) -> SupportConfig:
    """``support`` as ``user_id`` is known to the account directory (one indexed query; the
    directory is seeded from ``support`` the first time a process uses the database).
    The scheduler and the command line hold no account role: nothing to read for them."""
    _seeded(uow, support, now)
    if user_id in (SYSTEM_ACTOR, OPERATOR):
        return support
    from sla_core.accounts import directory  # see _seeded

    # In the caller's transaction, or on its own outside any (as a request's read is).
    db = session if session is not None else single_statement_reads(uow.engine)
    return directory.support_for(db, support, user_id, account_id=account_id)


def _seeded(uow: UnitOfWork, support: SupportConfig, now: datetime) -> None:
    # Imported here: the directory's tables import the persistence package, which imports
    # this module; whichever side is imported first, this resolves once both are loaded.
    from sla_core.accounts.seed import ensure_seeded

    ensure_seeded(uow.engine, support, now=now)


def _existing(uow: UnitOfWork, policy: Policy, row: Ticket, reporter_id: str, now: datetime) -> TicketView:
    if row.reporter_id != reporter_id:
        raise TicketError("This request was already used for another ticket.", code="idempotency_key_reused")
    events = [event_view(row.ref, e) for e in uow.tickets.events(row.id)]
    return ticket_view(row, events, clocks_later(policy, opened_at=row.opened_at, events=events, now=now))


__all__ = [
    "perform", "read_fields", "RULES", "open_ticket", "acknowledge", "post_update", "add_internal_note",
    "set_waiting_on_customer", "customer_replied", "propose_resolution", "accept_resolution",
    "reject_resolution", "change_severity", "close", "reopen", "snooze_reminder", "request_rca", "auto_accept_due",
    "directory_view", "SYSTEM_ACTOR",
]
