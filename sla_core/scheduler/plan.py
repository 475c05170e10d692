"""What is due for one ticket at ``now``, and when to look at it again.

A ticket has *streams* of notices, each a series of instants derived from its clocks:

- at-risk warnings of each running clock, at the configured fractions (for the update
  clock they are the update reminders, addressed to the acknowledging agent too);
- the breach of each running clock, repeated every ``escalation.repeat_every`` one rung up
  the severity's chain (severity channel → leads → on-call), staying on the last rung;
- the None resolution limit;
- on-call pages for a Critical ticket that became Critical out of business hours (opened
  so, or ``raised``), every ``on_call.page_every`` until the callback, the secondary
  joining after ``on_call.secondary_after``; in the on-call channel a ticket's pages after
  the first are replies in its thread (``EscalationRung(threaded=True)``).

Of each stream only the latest instant at or before ``now`` is due: after downtime a
ticket gets one notice per stream, marked late, never a burst of missed repetitions. Each
notice's key names its ticket, stream and instant, so deciding twice (two replicas, a
crashed pass) writes one outbox row. Low and None (``business_hours_only``) never ping out
of hours: their notices wait for the next opening (``ready_at``), they are not dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sla_core.clocks import ClockState, recurrence
from sla_core.instants import format_instant
from sla_core.oncall.rotation import OnCall
from sla_core.outbox.address import Address, DirectMessage, EscalationRung, Rung, TicketThread
from sla_core.outbox.model import AtRisk, Breach, Notification, Page, PageReason, Reminder, ScheduledNotice
from sla_core.policy import Policy
from sla_core.scheduler.config import SchedulerConfig
from sla_core.severity import ClockKind, Severity
from sla_core.tickets.lifecycle import EventKind
from sla_core.tickets.views import TicketView


@dataclass(frozen=True, kw_only=True)
class Plan:
    due: tuple[Notification, ...]
    next_wakeup: datetime | None


@dataclass(kw_only=True)
class _Planner:
    policy: Policy
    config: SchedulerConfig
    ticket: TicketView
    on_call: OnCall
    now: datetime
    snoozed_until: datetime | None
    due: list[Notification] = field(default_factory=list)
    wakeups: list[datetime] = field(default_factory=list)
    _paged_at: set[datetime] = field(default_factory=set)

    # -- helpers ----------------------------------------------------------------------
    def _iso(self, t: datetime) -> str:
        return format_instant(t, timezone=self.policy.timezone) or ""

    def _ready(self, instant: datetime) -> datetime:
        sev = self.policy.of(self.ticket.clocks.severity)
        if sev.business_hours_only:
            return self.policy.business_calendar.next_opening(max(instant, self.now))
        return instant

    def _notice(self, *, stream: str, instant: datetime, kind: type[ScheduledNotice], address: Address,
                **fields: Any) -> Notification:
        payload = kind(ref=self.ticket.ref, severity=self.ticket.clocks.severity, instant=instant,
                       late=self.now - instant > self.config.late_after, **fields)
        return Notification(key=f"t{self.ticket.id}:{stream}:{self._iso(instant)}", payload=payload,  # type: ignore[arg-type]
                            address=address, due_at=instant, ready_at=self._ready(instant), ticket_id=self.ticket.id)

    def _acknowledging_agent(self) -> str | None:
        return next((e.actor_id for e in self.ticket.events if e.type is EventKind.ACKNOWLEDGED), None)

    # -- streams ----------------------------------------------------------------------
    def clock_streams(self) -> None:
        severity = self.ticket.clocks.severity
        for clock in self.ticket.clocks.clocks:
            if not clock.is_running or clock.due is None:
                continue
            if self.now < clock.due:
                self._warnings(clock)
                self.wakeups.append(clock.due)
            else:  # at the due instant itself the breach is due (reading 9: breach at 100 %)
                self._breach(clock, severity)
            if clock.kind is ClockKind.RESOLUTION and clock.limit is not None and clock.limit != clock.due:
                if clock.limit <= self.now:
                    self.due.append(self._notice(stream="resolution:limit", instant=clock.limit, kind=Breach,
                                                 address=EscalationRung(rung=Rung.LEADS),
                                                 clock=ClockKind.RESOLUTION, due=None, limit=True))
                else:
                    self.wakeups.append(clock.limit)

    def _warnings(self, clock: ClockState) -> None:
        passed = [w for w in clock.warn_at if w <= self.now]
        self.wakeups.extend(w for w in clock.warn_at if w > self.now)
        if not passed:
            return
        instant = passed[-1]
        fraction = clock.warn_at.index(instant)
        if (clock.kind is ClockKind.CALLBACK and self.ticket.clocks.severity is Severity.IMPORTANT
                and self.config.on_call.important_callback_at_risk
                and not self.policy.business_calendar.is_open(instant)):
            # Before the snooze check: a snooze quiets the thread, never on-call.
            self._page_people(stream=f"callback:warn{fraction}:oncall", instant=instant,
                              reason=PageReason.CALLBACK_AT_RISK, with_secondary=False)
        if self.snoozed_until is not None and instant < self.snoozed_until:
            return  # the snooze stream below re-emits it when the snooze ends
        stream = f"{clock.kind.value}:warn{fraction}"
        if clock.kind is ClockKind.UPDATE:
            self.due.append(self._notice(stream=stream, instant=instant, kind=Reminder, address=TicketThread(),
                                         clock=clock.kind, due=clock.due, agent=self._acknowledging_agent()))
        else:
            self.due.append(self._notice(stream=stream, instant=instant, kind=AtRisk, address=TicketThread(),
                                         clock=clock.kind, due=clock.due))

    def _breach(self, clock: ClockState, severity: Severity) -> None:
        assert clock.due is not None
        escalation = self.config.escalation[severity]
        series = recurrence(self.policy.calendar(escalation.calendar), start=clock.due,
                            period=escalation.repeat_every, now=self.now)
        self.wakeups.append(series.following)
        if series.index is None or series.latest is None:
            return
        level = min(series.index, len(escalation.chain) - 1)
        rung = escalation.chain[level]
        stream = f"{clock.kind.value}:breach:{self._iso(clock.due)}:{series.index}"
        common: dict[str, Any] = dict(clock=clock.kind, due=clock.due, level=level, repeat=series.index)
        if rung == "severity_channel":
            self.due.append(self._notice(stream=stream, instant=series.latest, kind=Breach,
                                         address=TicketThread(broadcast=True), **common))
        elif rung == "leads":
            self.due.append(self._notice(stream=stream, instant=series.latest, kind=Breach,
                                         address=EscalationRung(rung=Rung.LEADS), **common))
        else:
            self._page_people(stream=stream, instant=series.latest, reason=PageReason.breached(clock.kind),
                              with_secondary=True, **common)

    def page_stream(self) -> None:
        """Critical out of hours: page at once, then every ``page_every`` until the callback."""
        if self.ticket.clocks.severity is not Severity.CRITICAL or not self.ticket.clocks.callback.is_running:
            return
        since, raised = self._critical_since()
        if since is None or self.policy.business_calendar.is_open(since):
            return
        oc = self.config.on_call
        series = recurrence(self.policy.round_the_clock, start=since, period=oc.page_every, now=self.now)
        self.wakeups.append(series.following)
        if series.latest is None:
            return
        with_secondary = series.latest - since >= oc.secondary_after
        if not with_secondary:
            self.wakeups.append(since + oc.secondary_after)
        self._page_people(stream=f"page:{self._iso(since)}:{series.index}", instant=series.latest,
                          reason=PageReason.CRITICAL_OUT_OF_HOURS, with_secondary=with_secondary,
                          repeat=series.index, raised=raised)

    def _critical_since(self) -> tuple[datetime | None, bool]:
        """Since when the ticket is Critical, and whether it was raised to it (else opened so)."""
        since, raised = None, False
        for event in self.ticket.events:
            if event.type is EventKind.OPENED and event.payload.get("severity") == Severity.CRITICAL.value:
                since = event.at
            elif event.type is EventKind.SEVERITY_CHANGED:
                since = event.at if event.payload.get("to") == Severity.CRITICAL.value else None
                raised = since is not None
        return since, raised

    def _page_people(self, *, stream: str, instant: datetime, reason: PageReason, with_secondary: bool,
                     **extra: Any) -> None:
        # One page per person and instant, even when a breach escalation reaches on-call
        # at the same moment as the out-of-hours page series.
        if instant in self._paged_at:
            return
        self._paged_at.add(instant)
        people = [self.on_call.primary] + ([self.on_call.secondary] if with_secondary else [])
        for person in dict.fromkeys(p for p in people if p):
            self.due.append(self._notice(stream=f"{stream}:dm:{person}", instant=instant, kind=Page,
                                         address=DirectMessage(user_id=person), reason=reason, **extra))
        self.due.append(self._notice(stream=f"{stream}:oncall", instant=instant, kind=Page,
                                     address=EscalationRung(rung=Rung.ON_CALL, threaded=True), reason=reason,
                                     users=tuple(p for p in people if p), usergroup=self.config.on_call.usergroup,
                                     **extra))

    def snooze_stream(self) -> None:
        if self.snoozed_until is None:
            return
        if self.snoozed_until > self.now:
            self.wakeups.append(self.snoozed_until)
            return
        running = [c for c in self.ticket.clocks.clocks if c.is_running and c.due and c.due > self.snoozed_until]
        if running:
            clock = min(running, key=lambda c: c.due or self.now)
            self.due.append(self._notice(stream="snooze", instant=self.snoozed_until, kind=Reminder,
                                         address=TicketThread(), clock=clock.kind, due=clock.due, snoozed=True,
                                         agent=self._acknowledging_agent()))

    def auto_accept(self) -> None:
        if self.ticket.clocks.auto_accept_at is not None:
            self.wakeups.append(self.ticket.clocks.auto_accept_at)

    def run(self) -> Plan:
        if self.ticket.status.is_open:
            self.clock_streams()
            self.page_stream()
            self.snooze_stream()
            self.auto_accept()
        future = [t for t in self.wakeups if t > self.now]
        return Plan(due=tuple(_unique(self.due)), next_wakeup=min(future) if future else None)


def _unique(notices: list[Notification]) -> Iterator[Notification]:
    seen: set[str] = set()
    for n in notices:
        if n.key not in seen:
            seen.add(n.key)
            yield n


def plan_ticket(policy: Policy, config: SchedulerConfig, *, ticket: TicketView, on_call: OnCall, now: datetime,
                snoozed_until: datetime | None = None) -> Plan:
    """The notices due for ``ticket`` at ``now`` (its clocks computed at ``now``) and the
    next instant something will be."""
    return _Planner(policy=policy, config=config, ticket=ticket, on_call=on_call, now=now,
                    snoozed_until=snoozed_until).run()
