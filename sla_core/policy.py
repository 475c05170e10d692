"""The SLA policy: the ``policy`` section of ``app.yaml`` as typed, frozen objects. It is
read and checked by ``sla_core.config`` (``policy_section.py``), with every other section,
once per process."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sla_core.calendar import BusinessCalendar, Calendar, RoundTheClock
from sla_core.severity import ClockKind, Severity

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BUSINESS = "business"
ROUND_THE_CLOCK = "24/7"


@dataclass(frozen=True, kw_only=True)
class ClockPolicy:
    """One clock of one severity: its target, optional limit, calendar and warnings."""

    target: timedelta
    calendar: str  # BUSINESS or ROUND_THE_CLOCK
    warnings: tuple[float, ...]
    limit: timedelta | None = None
    written: str = ""


@dataclass(frozen=True, kw_only=True)
class SeverityPolicy:
    severity: Severity
    callback: ClockPolicy
    update: ClockPolicy
    resolution: ClockPolicy
    business_hours_only: bool

    def clock(self, kind: ClockKind) -> ClockPolicy:
        return {ClockKind.CALLBACK: self.callback, ClockKind.UPDATE: self.update,
                ClockKind.RESOLUTION: self.resolution}[kind]


@dataclass(frozen=True, kw_only=True)
class Policy:
    timezone: ZoneInfo
    business_days: tuple[int, ...]  # 0 = Monday
    opens: time
    closes: time
    holiday_country: str
    holiday_subdivision: str | None
    extra_closed_days: tuple[date, ...]
    warnings: tuple[float, ...]
    auto_accept_after: timedelta
    auto_accept_calendar: str
    pauses: Mapping[str, frozenset[ClockKind]]
    update_restarts_on_rejection: bool
    downgrade_rule: str
    upgrade_rule: str
    severities: Mapping[Severity, SeverityPolicy]
    business_calendar: BusinessCalendar = field(repr=False, compare=False)
    round_the_clock: RoundTheClock = field(repr=False, compare=False)

    @property
    def business_day(self) -> timedelta:
        return _window_length(self.opens, self.closes)

    def calendar(self, name: str) -> Calendar:
        return self.business_calendar if name == BUSINESS else self.round_the_clock

    def of(self, severity: Severity) -> SeverityPolicy:
        return self.severities[severity]

    def pauses_on(self, situation: str) -> frozenset[ClockKind]:
        return self.pauses.get(situation, frozenset())


def _window_length(opens: time, closes: time) -> timedelta:
    return timedelta(hours=closes.hour - opens.hour, minutes=closes.minute - opens.minute)


def policy_from_mapping(raw: object, *, path: str = "policy") -> Policy:
    """The ``policy`` section alone (tests and tools); ``sla_core.config.load_config``
    reads the whole file."""
    from sla_core.config.policy_section import POLICY_KEYS, read_policy
    from sla_core.config.reader import Problems, Section

    problems = Problems()
    policy = read_policy(Section(raw, path, problems, POLICY_KEYS), problems)
    problems.raise_if_any()
    return policy
