"""Every ticket action, declared once.

A declaration says everything the code base needs to know about an action: who may do it
(roles), from which status to which, the event it records in the ticket's log, what that
event means to the SLA clocks, whether the customer is told, the fields it takes (and
their limits), and the buttons that start it. Everything else is derived from here:

- the transition table and the refusals (``lifecycle``), the permission matrix (``roles``);
- the service call (``service.perform`` checks the fields, then records the event);
- the clock events (``records.clock_events``) and the reporter's notices (``CUSTOMER_VISIBLE``);
- in ``bot/``: the buttons and their Bolt listeners, the modals and their submissions.

The texts are in ``messages/*/actions.yaml`` under ``action.<name>.…`` (the button, the
modal's title, each field's label, the words of the refusals). Rules no table can say
(the first acknowledging agent becomes the assignee, the reopening window …) are the
service's ``RULES``. ``docs/architecture.md`` walks through adding an action."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from sla_core.authorization import AGENTS, CUSTOMER, SCHEDULER, Actor, Role
from sla_core.clocks import EventType
from sla_core.field_limits import ACTION_TEXT_MAX, BUG_FIELDS
from sla_core.severity import Severity
from sla_core.tickets.errors import PermissionDenied
from sla_core.tickets.status import AFTER_ACK, OPEN_STATUSES, Status

S = Status


class Action(str, Enum):
    """The name of each action (declared below, in ``DECLARED``)."""

    ACKNOWLEDGE = "acknowledge"
    POST_UPDATE = "post_update"
    ADD_INTERNAL_NOTE = "add_internal_note"
    SET_WAITING_ON_CUSTOMER = "set_waiting_on_customer"
    CUSTOMER_REPLIED = "customer_replied"
    CUSTOMER_MESSAGE = "customer_message"
    PROPOSE_RESOLUTION = "propose_resolution"
    ACCEPT_RESOLUTION = "accept_resolution"
    AUTO_ACCEPT = "auto_accept"
    REJECT_RESOLUTION = "reject_resolution"
    CHANGE_SEVERITY = "change_severity"
    CLOSE = "close"
    REOPEN = "reopen"
    SNOOZE_REMINDER = "snooze_reminder"
    REQUEST_RCA = "request_rca"
    APPROVE_RCA = "approve_rca"
    SEND_RCA = "send_rca"
    FILE_BUG = "file_bug"
    LINK_BUG = "link_bug"
    RECORD_BUG = "record_bug"
    UPDATE_BUG = "update_bug"

    @property
    def spec(self) -> ActionSpec:
        return DECLARED[self]

    # An action is a capability (``sla_core.authorization.authorize``).
    @property
    def roles(self) -> frozenset[Role]:
        return DECLARED[self].roles

    def refusal(self, actor: Actor) -> PermissionDenied:
        """Why ``actor`` may not: the code names who may (agents, the customer …)."""
        required, ref, account = self.roles, actor.ticket_ref, actor.account_name
        params = {"ref": ref, "action": self.value, "user": actor.user_id}
        if required == AGENTS:
            return PermissionDenied(f"{ref}: only support agents may {self.value}", code="not_an_agent", **params)
        if required == CUSTOMER:
            return PermissionDenied(f"{ref}: only its reporter or an administrator of {account} may {self.value}",
                                    code="not_reporter_account", account=account, **params)
        if required == SCHEDULER:
            return PermissionDenied(f"{ref}: only the scheduler may {self.value}", code="system_only", **params)
        return PermissionDenied(f"{ref}: only support agents, its reporter or an administrator of {account} may "
                                f"{self.value}", code="not_agent_or_customer", account=account, **params)


class EventKind(str, Enum):
    """What the append-only log records: ``opened``, then one kind per action. These are
    stored strings (``ticket_events.type``): a new action adds one, none is ever renamed."""

    OPENED = "opened"
    ACKNOWLEDGED = "acknowledged"
    UPDATE_POSTED = "update_posted"
    INTERNAL_NOTE = "internal_note"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    CUSTOMER_REPLIED = "customer_replied"
    CUSTOMER_MESSAGE = "customer_message"
    RESOLUTION_PROPOSED = "resolution_proposed"
    RESOLUTION_ACCEPTED = "resolution_accepted"
    RESOLUTION_AUTO_ACCEPTED = "resolution_auto_accepted"
    RESOLUTION_REJECTED = "resolution_rejected"
    SEVERITY_CHANGED = "severity_changed"
    CLOSED = "closed"
    REOPENED = "reopened"
    REMINDER_SNOOZED = "reminder_snoozed"
    RCA_REQUESTED = "rca_requested"
    RCA_APPROVED = "rca_approved"
    RCA_SENT = "rca_sent"
    BUG_FILED = "bug_filed"
    BUG_LINKED = "bug_linked"
    BUG_RECORDED = "bug_recorded"
    BUG_STATUS_CHANGED = "bug_status_changed"


class FieldKind(str, Enum):
    TEXT = "text"  # free text, stripped
    SELECT = "select"  # one of ``choices``
    SEVERITY = "severity"  # a severity other than the ticket's current one
    MINUTES = "minutes"  # a whole number of minutes within ``limits``
    FLAG = "flag"  # yes or no (a box to tick); no unless given as True


class Need(str, Enum):
    REQUIRED = "required"  # the service refuses the action without it
    ASKED = "asked"  # the form insists, but a button may act without it ("I've replied")
    OPTIONAL = "optional"


@dataclass(frozen=True, kw_only=True)
class Field:
    """One value an action takes: from its modal, or from its button."""

    name: str  # the service's keyword, the modal's block id, the payload's key
    kind: FieldKind = FieldKind.TEXT
    need: Need = Need.REQUIRED
    choices: tuple[str, ...] = ()  # SELECT
    limits: tuple[int, int] = (0, ACTION_TEXT_MAX)  # TEXT: length (sla_core.field_limits); MINUTES: value
    missing: str = "text_required"  # the refusal's code when a required value is empty
    invalid: str = ""  # the refusal's code for a value outside the choices or the limits

    @property
    def asked(self) -> bool:
        return self.need is not Need.OPTIONAL


def reason() -> Field:
    """A free-text reason, required (refused with ``reason_required``)."""
    return Field(name="reason", missing="reason_required")


class Surface(str, Enum):
    """Where a button is shown; its value prefixes the button's id (``ticket.update``)."""

    ROOT = "ticket"  # the agents' buttons on the ticket's root post, in its severity channel
    REPORTER = "reporter"  # the reporter's, in their direct messages
    NOTICE = "notice"  # on a reminder or a warning in the ticket's thread


@dataclass(frozen=True, kw_only=True)
class Button:
    surface: Surface
    name: str  # with the surface, the button's id: stable, as posted messages carry it
    opens_form: bool = True  # open the action's modal, or act at once
    primary: bool = False

    @property
    def id(self) -> str:
        return f"{self.surface.value}.{self.name}"


@dataclass(frozen=True, kw_only=True)
class ActionSpec:
    action: Action
    roles: frozenset[Role]
    moves: Mapping[Status, Status]  # from → to: the only statuses the action is allowed in
    event: EventKind
    clock: EventType | None  # what the event means to the SLA clocks (None: nothing)
    customer_sees: bool  # the reporter is told in their direct messages
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    form: str | None = None  # the modal's name (its callback id ``modal.<form>``, stable: modals stay open)

    @property
    def changes_status(self) -> bool:
        """Whether every allowed move leads elsewhere (after it, "already done" can be told)."""
        return all(before is not after for before, after in self.moves.items())


def _same(statuses: tuple[Status, ...]) -> dict[Status, Status]:
    return {s: s for s in statuses}


A, E, C = Action, EventKind, EventType
_TEXT = Field(name="text")


def _bug_field(name: str, *, need: Need = Need.REQUIRED) -> Field:
    return Field(name=name, need=need, limits=(0, BUG_FIELDS[name].max_length), missing="text_required")


# Bugs are filed and linked, and the tracker's news recorded, while the ticket is worked
# and after its resolution too (a fix the customer accepted may still need its bug); a
# closed ticket is final: news of its bugs is no longer written to it.
_BUG_STATUSES = (*OPEN_STATUSES, S.RESOLVED)

DECLARED: Mapping[Action, ActionSpec] = {spec.action: spec for spec in (
    # The callback: the first human contact, which starts diagnosis.
    ActionSpec(action=A.ACKNOWLEDGE, roles=AGENTS, moves={S.OPENED: S.ACKNOWLEDGED},
               event=E.ACKNOWLEDGED, clock=C.CALLBACK, customer_sees=True,
               fields=(Field(name="channel", kind=FieldKind.SELECT, choices=("phone", "email", "slack"),
                             invalid="invalid_channel"),
                       Field(name="note", need=Need.OPTIONAL)),
               buttons=(Button(surface=Surface.ROOT, name="acknowledge", primary=True),), form="acknowledge"),
    # A customer-visible update; the first after the callback means work is under way.
    ActionSpec(action=A.POST_UPDATE, roles=AGENTS,
               moves={S.ACKNOWLEDGED: S.IN_PROGRESS, **_same((S.IN_PROGRESS, S.WAITING_ON_CUSTOMER,
                                                              S.RESOLUTION_PROPOSED))},
               event=E.UPDATE_POSTED, clock=C.UPDATE, customer_sees=True,
               # "publish": the update's text also goes on the public status page, under the
               # interruption this ticket is linked to (``astreinte outage … --ticket``).
               fields=(_TEXT, Field(name="publish", kind=FieldKind.FLAG, need=Need.OPTIONAL)),
               buttons=(Button(surface=Surface.ROOT, name="update"),), form="update"),
    # For agents only: the customer never sees it, so no clock moves.
    ActionSpec(action=A.ADD_INTERNAL_NOTE, roles=AGENTS, moves=_same(AFTER_ACK),
               event=E.INTERNAL_NOTE, clock=None, customer_sees=False, fields=(_TEXT,),
               buttons=(Button(surface=Surface.ROOT, name="note"),), form="note"),
    ActionSpec(action=A.SET_WAITING_ON_CUSTOMER, roles=AGENTS,
               moves={S.ACKNOWLEDGED: S.WAITING_ON_CUSTOMER, S.IN_PROGRESS: S.WAITING_ON_CUSTOMER},
               event=E.WAITING_ON_CUSTOMER, clock=C.WAITING_ON_CUSTOMER, customer_sees=True,
               fields=(Field(name="question", need=Need.ASKED),),
               buttons=(Button(surface=Surface.ROOT, name="waiting"),), form="waiting"),
    # The customer answers (their "I've replied"), or an agent records an answer given by phone.
    ActionSpec(action=A.CUSTOMER_REPLIED, roles=AGENTS | CUSTOMER, moves={S.WAITING_ON_CUSTOMER: S.IN_PROGRESS},
               event=E.CUSTOMER_REPLIED, clock=C.CUSTOMER_REPLIED, customer_sees=False,
               fields=(Field(name="text", need=Need.ASKED),),
               buttons=(Button(surface=Surface.ROOT, name="customer_replied"),
                        Button(surface=Surface.REPORTER, name="replied", opens_form=False, primary=True)),
               form="customer_replied"),
    # The customer writes when nothing waits on them (an e-mail answering one of the
    # ticket's mails): kept in the log and the thread; no clock moves, no status changes.
    # A closed ticket takes nothing more (mail about it opens a new one).
    ActionSpec(action=A.CUSTOMER_MESSAGE, roles=CUSTOMER,
               moves=_same(tuple(s for s in Status if s not in (S.WAITING_ON_CUSTOMER, S.CLOSED))),
               event=E.CUSTOMER_MESSAGE, clock=None, customer_sees=False, fields=(_TEXT,)),
    # A permanent fix or a workaround; the customer accepts, rejects, or stays silent
    # past the policy's ``auto_accept_after``.
    ActionSpec(action=A.PROPOSE_RESOLUTION, roles=AGENTS,
               moves={S.ACKNOWLEDGED: S.RESOLUTION_PROPOSED, S.IN_PROGRESS: S.RESOLUTION_PROPOSED},
               event=E.RESOLUTION_PROPOSED, clock=C.RESOLUTION_PROPOSED, customer_sees=True,
               fields=(Field(name="kind", kind=FieldKind.SELECT, choices=("fix", "workaround"),
                             invalid="invalid_resolution_kind"), _TEXT),
               buttons=(Button(surface=Surface.ROOT, name="propose"),), form="propose"),
    ActionSpec(action=A.ACCEPT_RESOLUTION, roles=CUSTOMER, moves={S.RESOLUTION_PROPOSED: S.RESOLVED},
               event=E.RESOLUTION_ACCEPTED, clock=C.RESOLUTION_ACCEPTED, customer_sees=False,
               buttons=(Button(surface=Surface.REPORTER, name="accept", opens_form=False, primary=True),)),
    # The scheduler's: a proposal left unanswered past the configured silence.
    ActionSpec(action=A.AUTO_ACCEPT, roles=SCHEDULER, moves={S.RESOLUTION_PROPOSED: S.RESOLVED},
               event=E.RESOLUTION_AUTO_ACCEPTED, clock=C.RESOLUTION_ACCEPTED, customer_sees=True),
    ActionSpec(action=A.REJECT_RESOLUTION, roles=CUSTOMER, moves={S.RESOLUTION_PROPOSED: S.IN_PROGRESS},
               event=E.RESOLUTION_REJECTED, clock=C.RESOLUTION_REJECTED, customer_sees=False,
               fields=(reason(),), buttons=(Button(surface=Surface.REPORTER, name="reject"),), form="reject"),
    ActionSpec(action=A.CHANGE_SEVERITY, roles=AGENTS, moves=_same(OPEN_STATUSES),
               event=E.SEVERITY_CHANGED, clock=C.SEVERITY_CHANGED, customer_sees=True,
               fields=(Field(name="severity", kind=FieldKind.SEVERITY, choices=tuple(s.value for s in Severity),
                             invalid="invalid_severity"), reason()),
               buttons=(Button(surface=Surface.ROOT, name="severity"),), form="severity"),
    ActionSpec(action=A.CLOSE, roles=AGENTS, moves={S.RESOLVED: S.CLOSED},
               event=E.CLOSED, clock=None, customer_sees=True,
               buttons=(Button(surface=Surface.ROOT, name="close", opens_form=False),)),
    # Only within the support configuration's ``reopen_within`` of the resolution (a rule).
    ActionSpec(action=A.REOPEN, roles=AGENTS | CUSTOMER, moves={S.RESOLVED: S.IN_PROGRESS},
               event=E.REOPENED, clock=C.REOPENED, customer_sees=True, fields=(reason(),),
               buttons=(Button(surface=Surface.ROOT, name="reopen"), Button(surface=Surface.REPORTER, name="reopen")),
               form="reopen"),
    # "Remind me in 30 min" on a warning: quiets warnings and reminders; the clocks run on.
    ActionSpec(action=A.SNOOZE_REMINDER, roles=AGENTS, moves=_same(OPEN_STATUSES),
               event=E.REMINDER_SNOOZED, clock=None, customer_sees=False,
               fields=(Field(name="minutes", kind=FieldKind.MINUTES, limits=(1, 24 * 60),
                             invalid="snooze_out_of_range"),),
               buttons=(Button(surface=Surface.NOTICE, name="snooze", opens_form=False),)),
    # Root-cause analyses (sla_core/rca): the log records that one was asked for, approved
    # and sent; the document itself lives in the rca tables. No status moves, no clock.
    # The reporter asks from their DM card (once: a rule refuses a second request).
    ActionSpec(action=A.REQUEST_RCA, roles=CUSTOMER, moves=_same(tuple(Status)),
               event=E.RCA_REQUESTED, clock=None, customer_sees=False,
               buttons=(Button(surface=Surface.REPORTER, name="rca", opens_form=False),)),
    # Recorded only by sla_core.rca.service, which authorizes the person through
    # Capability.APPROVE_RCA / WRITE_RCA: through ``perform`` nobody may (system only), so
    # no approval can be logged without an RCA behind it. Declared so that the log, its
    # thread lines and the transition table know them.
    ActionSpec(action=A.APPROVE_RCA, roles=SCHEDULER, moves=_same(tuple(Status)),
               event=E.RCA_APPROVED, clock=None, customer_sees=False),
    ActionSpec(action=A.SEND_RCA, roles=SCHEDULER, moves=_same(tuple(Status)),
               event=E.RCA_SENT, clock=None, customer_sees=False),
    # A bug report for the vendor's tracker, prefilled from the ticket without the
    # reporter's personal data; the outbox files it (``sla_core.bugs``). No clock moves.
    ActionSpec(action=A.FILE_BUG, roles=AGENTS, moves=_same(_BUG_STATUSES), event=E.BUG_FILED, clock=None,
               customer_sees=False,
               fields=(_bug_field("title"), _bug_field("product_version"), _bug_field("description"),
                       _bug_field("code_sample", need=Need.OPTIONAL), _bug_field("impact")),
               buttons=(Button(surface=Surface.ROOT, name="file_bug"),), form="file_bug"),
    # An issue already in the tracker (its URL or key), linked to this ticket.
    ActionSpec(action=A.LINK_BUG, roles=AGENTS, moves=_same(_BUG_STATUSES), event=E.BUG_LINKED, clock=None,
               customer_sees=False,
               fields=(Field(name="bug", limits=(0, BUG_FIELDS["bug"].max_length), missing="bug_reference_required",
                             invalid="bug_reference_invalid"),),
               buttons=(Button(surface=Surface.ROOT, name="link_bug"),), form="link_bug"),
    # The tracker's answer: the issue a filing created, or a linked issue's first status.
    ActionSpec(action=A.RECORD_BUG, roles=SCHEDULER, moves=_same(_BUG_STATUSES), event=E.BUG_RECORDED, clock=None,
               customer_sees=False),
    # A linked bug closed or changed status in the tracker: the thread is told, and the
    # reporter what they may see (its state and the version a fix is planned in).
    ActionSpec(action=A.UPDATE_BUG, roles=SCHEDULER, moves=_same(_BUG_STATUSES), event=E.BUG_STATUS_CHANGED,
               clock=None, customer_sees=True),
)}


# ---- derived ---------------------------------------------------------------------------
# (status, action) → status after the action. The only table that says what is allowed.
TRANSITIONS: Mapping[tuple[Status, Action], Status] = {
    (before, spec.action): after for spec in DECLARED.values() for before, after in spec.moves.items()}
PERMISSIONS: Mapping[Action, frozenset[Role]] = {a: spec.roles for a, spec in DECLARED.items()}
EVENT_OF: Mapping[Action, EventKind] = {a: spec.event for a, spec in DECLARED.items()}
ACTION_OF: Mapping[EventKind, Action] = {spec.event: a for a, spec in DECLARED.items()}
# What each logged event means to the SLA clocks (opening is not a clock event).
CLOCK_EVENT_OF: Mapping[EventKind, EventType | None] = {
    EventKind.OPENED: None, **{spec.event: spec.clock for spec in DECLARED.values()}}
# Events the reporter is told about in their direct messages; internal notes never.
CUSTOMER_VISIBLE = frozenset(spec.event for spec in DECLARED.values() if spec.customer_sees)
# Events after which the status is what their action made it (for "already done by X").
STATUS_EVENTS = frozenset(spec.event for spec in DECLARED.values() if spec.changes_status)
FORMS: Mapping[str, ActionSpec] = {spec.form: spec for spec in DECLARED.values() if spec.form is not None}
BUTTONS: Mapping[str, tuple[ActionSpec, Button]] = {
    button.id: (spec, button) for spec in DECLARED.values() for button in spec.buttons}


# The actions that talk to the bug tracker: their buttons show only when one is configured.
BUG_ACTIONS = frozenset({A.FILE_BUG, A.LINK_BUG})


def same_outcome(action: Action) -> frozenset[EventKind]:
    """The events that leave a ticket as ``action`` would (accepting by hand or by silence)."""
    moves = DECLARED[action].moves
    return frozenset(spec.event for spec in DECLARED.values() if spec.moves == moves)


def button_id(action: Action, surface: Surface) -> str:
    """The id of ``action``'s button on ``surface`` (KeyError if it has none there)."""
    return next(b.id for b in DECLARED[action].buttons if b.surface is surface)
