"""A support desk on a frozen clock: real services, the real tick, one database.

``Desk`` opens tickets and acts on them through ``sla_core.tickets.service`` and runs
``run_tick`` exactly as a replica does, at instants the test chooses. ``walk`` steps the
clock like a tick loop would, but jumps straight to the instants that matter: the next
tick lands ``TICK_LAG`` after the earliest ``next_due_at`` of the open tickets (a tick
fires every few seconds; it never lands exactly on an instant), and never more than
``step`` after the previous one, so quiet nights are ticked through too.

Every scheduler row written (reminders, warnings, breaches, pages, digests) is recorded
with the tick that wrote it, as one line a person can read and a test can compare:
``@Fri 20 19:30:05 | Fri 20 19:30 page user U0ONCALL1 critical_out_of_hours``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update

from sla_core.outbox.address import Address, DirectMessage, EscalationRung, SeverityChannel, TicketThread
from sla_core.outbox.codec import decode_address, decode_payload, encode_address
from sla_core.outbox.model import Breach, Digest, Page
from sla_core.outbox.ticket_notices import write_notices
from sla_core.persistence.models import OPEN_STATUSES, Ticket
from sla_core.outbox.models import OutboxRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.scheduler.config import SchedulerConfig
from sla_core.scheduler.tick import TickReport, run_tick
from sla_core.severity import Severity
from sla_core.tickets import SupportConfig, TicketForm, service

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
TICK_LAG = timedelta(seconds=5)
SCHEDULER_KINDS = ("reminder", "at_risk", "breach", "page", "digest")

# The default rotation of app.yaml (starts Monday 2026-01-05 09:00 with people[0]).
PRIMARY_WEEK0, PRIMARY_WEEK1, PRIMARY_WEEK2 = "U0ONCALL1", "U0AGENT01", "U0AGENT02"
AGENT, AGENT2, LEAD, REPORTER = "UAGENT1", "UAGENT2", "ULEAD1", "UREPORTER"


def paris(text: str) -> datetime:
    """A Paris wall time, e.g. ``paris("2026-11-20 19:30")``; an explicit offset wins."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


def when(instant: datetime, *, offset: bool = False, seconds: bool = False) -> str:
    local = instant.astimezone(PARIS)
    text = local.strftime("%a %d %H:%M:%S" if seconds else "%a %d %H:%M")
    return text + local.strftime("%z") if offset else text


def _where(address: Address) -> str:
    """The old audience words, so the timelines read as they always have."""
    if isinstance(address, TicketThread):
        return "thread"
    if isinstance(address, DirectMessage):
        return "user" if address.user_id else "reporter"
    return "channel"


def _channel_of(address: Address) -> str:
    if isinstance(address, SeverityChannel):
        return f"severity:{address.severity.value if address.severity else ''}"
    if isinstance(address, EscalationRung):
        return f"rung:{address.rung.value}"
    if isinstance(address, DirectMessage):
        return f"user:{address.user_id}"
    return encode_address(address)


def describe(row: Any, *, offset: bool = False) -> str:
    """One outbox row as a line: due instant, kind, where it goes, then what tells it apart."""
    p, address = decode_payload(row.kind, row.payload), decode_address(row.audience)
    parts = [when(row.due_at, offset=offset), row.kind, _where(address)]
    if getattr(p, "clock", None):
        parts.append(p.clock.value)
    if isinstance(address, DirectMessage):
        parts.append(address.user_id)
    elif isinstance(p, (Breach, Page)) and isinstance(address, EscalationRung):
        parts.append(address.rung.value)
    if isinstance(p, Breach):
        parts.append(f"level={p.level}")
    if isinstance(p, Page):
        parts.append(p.reason.value)
        if isinstance(address, EscalationRung):
            parts.append("users=" + ",".join(p.users))
    if getattr(p, "agent", None):
        parts.append(f"agent={p.agent}")
    if getattr(p, "snoozed", False):
        parts.append("snoozed")
    if getattr(p, "limit", False):
        parts.append("limit")
    if isinstance(p, Digest):
        parts.append(f"{_channel_of(address)} items={len(p.items)}")
    if when(row.ready_at) != when(row.due_at):  # held back (next opening), not just decided a tick later
        parts.append(f"ready={when(row.ready_at, offset=offset)}")
    if getattr(p, "late", False):
        parts.append("late")
    if row.status != "pending":
        parts.append(row.status)
    return " ".join(str(x) for x in parts)


def a_form(severity: Severity | str, **changes: Any) -> TicketForm:
    value = severity.value if isinstance(severity, Severity) else severity
    fields: dict[str, Any] = dict(title="Login page returns 500", description="Every login fails.",
                                  category="incident", product_version="5.2", language="en",
                                  contact_channel="email", severity=value)
    fields.update(changes)
    return TicketForm(**fields)


@dataclass
class Desk:
    engine: Engine
    policy: Policy
    support: SupportConfig
    config: SchedulerConfig
    offset: bool = False  # show UTC offsets in lines (DST tests)
    now: datetime | None = None
    timeline: list[str] = field(default_factory=list)
    reports: list[TickReport] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, before_commit=[write_notices])

    # ---- the desk's people ------------------------------------------------------------
    def open(self, severity: Severity | str, at: datetime, **form: Any) -> str:
        self.now = at
        view = service.open_ticket(self.uow(), policy=self.policy, support=self.support, reporter_id=REPORTER,
                                   form=a_form(severity, **form), idempotency_key=None, now=at)
        return view.ref

    def act(self, name: str, ref: str, at: datetime, *, actor: str = AGENT, **kwargs: Any) -> Any:
        self.now = at
        defaults: dict[str, dict[str, Any]] = {
            "acknowledge": {"channel": "phone", "note": "called back"},
            "post_update": {"text": "still on it"},
            "add_internal_note": {"text": "looking"},
            "change_severity": {"reason": "more users hit"},
            "snooze_reminder": {"minutes": 30},
        }
        fn = getattr(service, name)
        return fn(self.uow(), policy=self.policy, support=self.support, ticket_ref=ref, actor_id=actor, now=at,
                  **{**defaults.get(name, {}), **kwargs})

    # ---- the scheduler ----------------------------------------------------------------
    def tick(self, at: datetime) -> TickReport:
        self.now = at
        report = run_tick(self.uow, policy=self.policy, config=self.config, now=at)
        self.reports.append(report)
        for row in self.rows(new_only=True):
            self.timeline.append(f"@{when(at, seconds=True)} | {describe(row, offset=self.offset)}")
        return report

    def next_due(self) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(select(Ticket.next_due_at).where(
                Ticket.status.in_(OPEN_STATUSES), Ticket.next_due_at.is_not(None))
                .order_by(Ticket.next_due_at).limit(1)).scalar()

    def walk(self, until: datetime, *, step: timedelta = timedelta(hours=1)) -> None:
        """Tick like a replica would until ``until`` (inclusive), jumping between instants."""
        assert self.now is not None
        while self.now < until:
            due = self.next_due()
            target = self.now + step
            if due is not None:
                target = min(target, max(due, self.now) + TICK_LAG)
            self.tick(min(target, until))

    def take(self) -> list[str]:
        """The timeline lines recorded since the last call."""
        out, self.timeline = self.timeline, []
        return out

    # ---- the outbox -------------------------------------------------------------------
    def rows(self, *, new_only: bool = False, kinds: Iterable[str] = SCHEDULER_KINDS) -> list[Any]:
        with self.engine.connect() as conn:
            rows = list(conn.execute(select(OutboxRow).where(OutboxRow.kind.in_(list(kinds)))
                                     .order_by(OutboxRow.due_at, OutboxRow.id)))
        if new_only:
            rows = [r for r in rows if r.id not in self._seen]
            self._seen.update(r.id for r in rows)
        return rows

    def lines(self, **kwargs: Any) -> list[str]:
        return [describe(r, offset=self.offset) for r in self.rows(**kwargs)]

    def make_due(self, at: datetime) -> None:
        """Put every open ticket back in the due range, as a pass that crashed after
        deciding would leave them (or an event at ``at`` does)."""
        with self.engine.begin() as conn:
            conn.execute(update(Ticket).where(Ticket.status.in_(OPEN_STATUSES)).values(next_due_at=at))
