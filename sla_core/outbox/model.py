"""Notifications as domain values: one frozen payload type per kind of notice, an address
(``sla_core.outbox.address``), and the notification that carries both to the outbox.

A payload's class names its kind (``kind``, a class attribute), so a notification cannot
say one kind and carry another's figures. ``sla_core.outbox.codec`` is the only place
that turns these into the outbox's columns and back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from sla_core.outbox.address import Address
from sla_core.severity import ClockKind, Severity


class NotificationKind(StrEnum):
    TICKET_OPENED = "ticket_opened"  # root post in the severity channel
    ROOT_REFRESH = "root_refresh"  # re-render the root post from the ticket's state
    TICKET_EVENT = "ticket_event"  # a reply in the thread for one logged event
    REPORTER_RECEIPT = "reporter_receipt"  # DM: reference, targets, contact channels
    REPORTER_EVENT = "reporter_event"  # DM: an update, a proposal, … (short, no buttons)
    REPORTER_CARD = "reporter_card"  # re-render the receipt DM: the ticket's live state for its reporter
    CLICKED_MESSAGE = "clicked_message"  # a message whose button did its job, edited to say what was done
    SEVERITY_MOVED = "severity_moved"  # the new severity's channel is told
    REMINDER = "reminder"  # update interval running out
    AT_RISK = "at_risk"  # a clock passed a warning fraction
    BREACH = "breach"  # a clock passed its due (or None's resolution limit)
    PAGE = "page"  # on-call paged
    DIGEST = "digest"  # several due notices for one channel, as one message
    MAINTENANCE = "maintenance"  # a planned maintenance window scheduled, started, ended, cancelled
    AVAILABILITY = "availability"  # the availability error budget running low, or missed
    MONTHLY_SUMMARY = "monthly_summary"  # last month's SLA figures, on the first business day
    MAIL_RECEIVED = "mail_received"  # in the thread: a customer's e-mail, its attachments, a severity to confirm
    REPORTER_EMAIL = "reporter_email"  # e-mail to the reporter: the receipt, or an event they see
    SATISFACTION_ASK = "satisfaction_ask"  # "How did we do?" to the reporter, once a resolution is accepted
    SATISFACTION_ANSWERED = "satisfaction_answered"  # the survey message, edited to thank for the answer
    SATISFACTION_LOW = "satisfaction_low"  # a low score, told to the leads
    RCA_APPROVAL = "rca_approval"  # a root-cause analysis submitted: the leads approve it
    RCA_DOCUMENT = "rca_document"  # an approved RCA version, to its reader (the reporter)
    RCA_REMINDER = "rca_reminder"  # an RCA falls due soon: the ticket's agent is reminded
    RCA_LATE = "rca_late"  # an RCA past its due, escalated like a breach
    # Jobs for the bug tracker, not Slack messages: done by ``bot/trackers/worker.py``, never
    # claimed by the Slack sender (a tracker outage must not hold Slack's messages back).
    TRACKER_FILE = "tracker_file"  # create the issue a ticket's filing asked for
    TRACKER_FETCH = "tracker_fetch"  # read an issue's state (a new link, or polling)


# ---- notices of a logged ticket event (decided with the event, in its transaction) ----------
@dataclass(frozen=True, kw_only=True)
class EventNotice:
    kind: ClassVar[NotificationKind]
    ref: str
    seq: int  # the event's place in the ticket's log: rendered from the ticket's state then
    event: str  # its type, for people reading the outbox


@dataclass(frozen=True, kw_only=True)
class TicketOpened(EventNotice):
    kind = NotificationKind.TICKET_OPENED


@dataclass(frozen=True, kw_only=True)
class RootRefresh(EventNotice):
    kind = NotificationKind.ROOT_REFRESH


@dataclass(frozen=True, kw_only=True)
class ThreadEvent(EventNotice):
    kind = NotificationKind.TICKET_EVENT


@dataclass(frozen=True, kw_only=True)
class ReporterReceipt(EventNotice):
    kind = NotificationKind.REPORTER_RECEIPT


@dataclass(frozen=True, kw_only=True)
class ReporterEvent(EventNotice):
    kind = NotificationKind.REPORTER_EVENT


@dataclass(frozen=True, kw_only=True)
class ReporterCard(EventNotice):
    kind = NotificationKind.REPORTER_CARD


@dataclass(frozen=True, kw_only=True)
class ClickedUpdate(EventNotice):
    """The message a button was pressed on (``address.ClickedMessage``), once the event
    the button caused is logged: it then says what was done, and shows no buttons."""

    kind = NotificationKind.CLICKED_MESSAGE
    said: str = ""  # the message's own text as it was clicked (ours: Slack echoes it back), kept above


@dataclass(frozen=True, kw_only=True)
class SeverityMoved(EventNotice):
    kind = NotificationKind.SEVERITY_MOVED
    severity: Severity  # the channel told is this severity's


@dataclass(frozen=True, kw_only=True)
class MailAttachment:
    filename: str
    content_type: str
    size: int  # bytes


@dataclass(frozen=True, kw_only=True)
class MailReceived(EventNotice):
    """A ticket's event came by e-mail (``sla_core.email``): the agents see from whom, the
    attachments (listed, never opened) and, for a ticket opened by e-mail, that its
    severity is to be confirmed."""

    kind = NotificationKind.MAIL_RECEIVED
    sender: str  # the address it came from
    attachments: tuple[MailAttachment, ...] = ()
    severity_tagged: bool | None = None  # a new ticket: its severity came from the subject (else the default)
    truncated: bool = False  # the text was longer than a ticket holds


@dataclass(frozen=True, kw_only=True)
class ReporterMail(EventNotice):
    """The reporter's e-mail for one logged event (``sla_core/email/outgoing.py``)."""

    kind = NotificationKind.REPORTER_EMAIL


# ---- the scheduler's notices about a ticket (``sla_core.scheduler.plan``) ------------------
@dataclass(frozen=True, kw_only=True)
class ScheduledNotice:
    kind: ClassVar[NotificationKind]
    ref: str
    severity: Severity
    instant: datetime  # when it fell due
    late: bool = False  # decided well after ``instant`` (the scheduler was down)


@dataclass(frozen=True, kw_only=True)
class Reminder(ScheduledNotice):
    kind = NotificationKind.REMINDER
    clock: ClockKind
    due: datetime | None
    agent: str | None = None  # the acknowledging agent, named in the thread
    snoozed: bool = False  # the one reminder at the end of a snooze


@dataclass(frozen=True, kw_only=True)
class AtRisk(ScheduledNotice):
    kind = NotificationKind.AT_RISK
    clock: ClockKind
    due: datetime | None


@dataclass(frozen=True, kw_only=True)
class Breach(ScheduledNotice):
    kind = NotificationKind.BREACH
    clock: ClockKind
    due: datetime | None
    level: int = 0  # the rung of the escalation chain reached
    repeat: int = 0
    limit: bool = False  # None's outer resolution limit rather than a due


class PageReason(StrEnum):
    CRITICAL_OUT_OF_HOURS = "critical_out_of_hours"  # opened as, or raised to, Critical at night
    CALLBACK_AT_RISK = "callback_at_risk"  # an Important callback at risk out of hours
    CALLBACK_BREACHED = "callback_breached"  # the escalation chain reached on-call
    UPDATE_BREACHED = "update_breached"
    RESOLUTION_BREACHED = "resolution_breached"

    @classmethod
    def breached(cls, clock: ClockKind) -> PageReason:
        return cls(f"{clock.value}_breached")


@dataclass(frozen=True, kw_only=True)
class Page(ScheduledNotice):
    kind = NotificationKind.PAGE
    reason: PageReason
    users: tuple[str, ...] = ()  # mentioned in the on-call channel (a DM names nobody)
    usergroup: str | None = None
    repeat: int = 0
    raised: bool = False  # critical_out_of_hours: raised to Critical (else opened Critical)
    clock: ClockKind | None = None  # set when a breach escalation pages
    due: datetime | None = None
    level: int | None = None


@dataclass(frozen=True, kw_only=True)
class DigestItem:
    ref: str
    kind: NotificationKind
    clock: ClockKind | None = None
    instant: datetime | None = None
    late: bool = False


@dataclass(frozen=True, kw_only=True)
class Digest:
    """More notices for one channel in one pass than ``scheduler.digest_threshold``."""

    kind: ClassVar[NotificationKind] = NotificationKind.DIGEST
    items: tuple[DigestItem, ...]


# ---- announcements about no ticket ---------------------------------------------------------
class MaintenanceEvent(StrEnum):
    SCHEDULED = "scheduled"
    STARTED = "started"
    ENDED = "ended"
    CANCELLED = "cancelled"


@dataclass(frozen=True, kw_only=True)
class Maintenance:
    kind: ClassVar[NotificationKind] = NotificationKind.MAINTENANCE
    event: MaintenanceEvent
    maintenance_id: int
    service: str
    starts_at: datetime
    ends_at: datetime
    critical_fixes: bool = False
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class AvailabilityWarning:
    kind: ClassVar[NotificationKind] = NotificationKind.AVAILABILITY
    threshold: str  # "50pct", "25pct", … or "missed"
    service: str  # "all" or one service
    availability: float  # over the rolling window, 0..1
    budget_left_minutes: int
    budget_minutes: int
    window_start: datetime
    window_end: datetime

    @property
    def missed(self) -> bool:
        return self.threshold == "missed"


@dataclass(frozen=True, kw_only=True)
class MonthlySummary:
    kind: ClassVar[NotificationKind] = NotificationKind.MONTHLY_SUMMARY
    month: str  # YYYY-MM
    breaches: int
    availability: float  # the month's worst 30-day window, 0..1
    due: datetime  # the opening of the month's first business day, when it was owed
    late: bool = False  # decided after that day (the bot was not running on it)


# ---- jobs for the bug tracker (``sla_core.bugs``) ----------------------------------------------
@dataclass(frozen=True, kw_only=True)
class TrackerFile(EventNotice):
    """Create the issue drafted by event ``seq`` (a ``bug_filed``) of ticket ``ref``. The
    outbox key is the issue's idempotency marker: after an unknown outcome the tracker
    is searched for it before creating again."""

    kind = NotificationKind.TRACKER_FILE


@dataclass(frozen=True, kw_only=True)
class TrackerFetch:
    """Read what issue ``key`` of ``tracker`` is now, and tell its tickets if it changed."""

    kind: ClassVar[NotificationKind] = NotificationKind.TRACKER_FETCH
    tracker: str
    key: str
    ref: str | None = None  # the ticket that linked it, when a link asked


TRACKER_JOBS = frozenset({NotificationKind.TRACKER_FILE, NotificationKind.TRACKER_FETCH})

# ---- satisfaction (``sla_core.satisfaction``): rendered from the survey's row when sent -----
@dataclass(frozen=True, kw_only=True)
class SatisfactionNotice:
    kind: ClassVar[NotificationKind]
    ref: str  # the ticket the survey is about


@dataclass(frozen=True, kw_only=True)
class SatisfactionAsk(SatisfactionNotice):
    """The survey itself: a score from 1 to 5 (buttons) and a comment (a modal). Its address
    is the reporter's DM today; a customer's shared channel thread is another address."""

    kind = NotificationKind.SATISFACTION_ASK


@dataclass(frozen=True, kw_only=True)
class SatisfactionAnswered(SatisfactionNotice):
    """The survey message (``address.ClickedMessage``) once answered: the score given, the
    comment if any, and the comment button while there is none."""

    kind = NotificationKind.SATISFACTION_ANSWERED
    step: str = "score"  # score | comment: what this edit follows (its key says it once each)


@dataclass(frozen=True, kw_only=True)
class SatisfactionLow(SatisfactionNotice):
    kind = NotificationKind.SATISFACTION_LOW
    score: int
    with_comment: bool = False  # the reporter's comment, added after the score
# ---- root-cause analyses (``sla_core.rca``) -------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RcaNotice:
    kind: ClassVar[NotificationKind]
    ref: str
    version: int  # the RCA version it is about (rendered from the stored version)


@dataclass(frozen=True, kw_only=True)
class RcaApproval(RcaNotice):
    kind = NotificationKind.RCA_APPROVAL
    author: str


@dataclass(frozen=True, kw_only=True)
class RcaDocument(RcaNotice):
    kind = NotificationKind.RCA_DOCUMENT
    correction: bool = False  # a new version of one already sent


@dataclass(frozen=True, kw_only=True)
class RcaReminder(RcaNotice):
    kind = NotificationKind.RCA_REMINDER
    due: datetime
    agent: str | None = None


@dataclass(frozen=True, kw_only=True)
class RcaLate(RcaNotice):
    kind = NotificationKind.RCA_LATE
    due: datetime
    level: int = 0  # the rung of the severity's escalation chain reached


Payload = (TicketOpened | RootRefresh | ThreadEvent | ReporterReceipt | ReporterEvent | ReporterCard | ClickedUpdate
           | SeverityMoved | Reminder | AtRisk | Breach | Page | Digest | Maintenance | AvailabilityWarning | MonthlySummary
           | MailReceived | ReporterMail | SatisfactionAsk | SatisfactionAnswered | SatisfactionLow
           | RcaApproval | RcaDocument | RcaReminder | RcaLate | TrackerFile | TrackerFetch)
PAYLOAD_TYPES: tuple[type[Payload], ...] = (
    TicketOpened, RootRefresh, ThreadEvent, ReporterReceipt, ReporterEvent, ReporterCard, ClickedUpdate,
    SeverityMoved, Reminder, AtRisk,
    Breach, Page, Digest, Maintenance, AvailabilityWarning, MonthlySummary, MailReceived, ReporterMail,
    SatisfactionAsk, SatisfactionAnswered, SatisfactionLow, RcaApproval, RcaDocument, RcaReminder, RcaLate, TrackerFile,
    TrackerFetch)


@dataclass(frozen=True, kw_only=True)
class Notification:
    """One message owed. ``key`` makes it unique: the same decision taken twice (two
    replicas, a retried request) yields the same key and one row."""

    key: str
    payload: Payload
    address: Address
    due_at: datetime
    ticket_id: int | None = None
    ready_at: datetime | None = None  # not before; defaults to due_at

    @property
    def kind(self) -> NotificationKind:
        return self.payload.kind


@dataclass(frozen=True, kw_only=True)
class OutboxEntry:
    """A claimed outbox row, as the sender sees it."""

    id: int
    key: str
    payload: Payload
    address: Address
    ticket_id: int | None
    due_at: datetime
    attempts: int
    outcome_unknown: bool  # an earlier attempt may have reached Slack: check before sending
    created_at: datetime

    @property
    def kind(self) -> NotificationKind:
        return self.payload.kind

    @property
    def ticket_ref(self) -> str | None:
        """The ticket this notice is about, if any (its current state is rendered)."""
        return (self.payload.ref if isinstance(self.payload, (EventNotice, ScheduledNotice, SatisfactionNotice, RcaNotice))
                else None)
