"""The ``policy`` section of ``app.yaml``: the business calendar, the clocks of each
severity, pauses, automatic acceptance and severity changes (types in ``sla_core.policy``).
Every problem is recorded with its key path, e.g.
``policy.severities.low.callback: "2 bussiness days" is not a duration``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sla_core.calendar import BusinessCalendar, RoundTheClock
from sla_core.config.reader import BAD, Problems, Section, boolean, fraction, iso_date, ok, one_of
from sla_core.holiday_table import TABLED
from sla_core.durations import WrittenDuration, parse_duration
from sla_core.policy import BUSINESS, ROUND_THE_CLOCK, WEEKDAYS, ClockPolicy, Policy, SeverityPolicy, _window_length
from sla_core.severity import ClockKind, Severity

POLICY_KEYS = ("timezone", "business_hours", "holidays", "warnings", "auto_accept_after", "pauses",
               "update_restarts_on_rejection", "severity_change", "severities")
SITUATIONS = ("waiting_on_customer", "resolution_proposed")
CLOCK_KEYS = ("target", "calendar", "limit", "warnings")
NINE_HOURS = timedelta(hours=9)  # a business day while the opening hours are wrong: reading goes on


def read_policy(section: Section, problems: Problems) -> Policy:
    tz = section.read("timezone", _timezone)

    hours = section.sub("business_hours", ("days", "open", "close"))
    days = hours.items("days", weekday)
    opens, closes = hours.read("open", time_of_day), hours.read("close", time_of_day)
    if ok(opens, closes) and closes <= opens:
        problems.add(hours.at("close"), f"{closes:%H:%M} is not after open ({opens:%H:%M})")
        closes = BAD
    business_day = _window_length(opens, closes) if ok(opens, closes) else NINE_HOURS

    hol = section.sub("holidays", ("country", "subdivision", "extra_closed_days"))
    country = hol.read("country", _country)
    subdivision = hol.read("subdivision", lambda v: _subdivision(v, country), default=None)
    extra = hol.items("extra_closed_days", iso_date, default=[])

    warnings = fractions(section, "warnings", [0.75])
    auto_accept = section.read("auto_accept_after", duration_in(business_day), default="5 business days")

    pauses_raw = section.sub("pauses", SITUATIONS, required=False, what="situation")
    pauses = {s: _frozen(pauses_raw.items(s, _pausing_clock, default=[])) for s in SITUATIONS}

    change = section.sub("severity_change", ("downgrade", "upgrade"), required=False)
    downgrade = change.read("downgrade", one_of("recompute"), default="recompute")
    upgrade = change.read("upgrade", one_of("earliest"), default="earliest")

    sev = section.sub("severities", [s.value for s in Severity], what="severity")
    severities = {s: _severity(sev, s, business_day, warnings if ok(warnings) else ()) for s in Severity
                  if sev.valid}
    restarts = section.read("update_restarts_on_rejection", boolean, default=True)

    if problems.items:
        return BAD  # type: ignore[no-any-return]
    calendar = BusinessCalendar(
        timezone=tz, weekdays=tuple(sorted(set(days))), opens=opens, closes=closes, holiday_country=country,
        holiday_subdivision=subdivision, extra_closed_days=tuple(extra))
    return Policy(
        timezone=tz, business_days=calendar.weekdays, opens=opens, closes=closes, holiday_country=country,
        holiday_subdivision=subdivision, extra_closed_days=tuple(extra), warnings=warnings,
        auto_accept_after=auto_accept[0], auto_accept_calendar=auto_accept[1], pauses=pauses,
        update_restarts_on_rejection=restarts, downgrade_rule=downgrade, upgrade_rule=upgrade,
        severities=severities, business_calendar=calendar, round_the_clock=RoundTheClock())


def _severity(sev: Section, severity: Severity, business_day: timedelta,
              warnings: tuple[float, ...]) -> SeverityPolicy:
    s = sev.sub(severity.value, ("callback", "update", "resolution", "business_hours_only"))
    clocks = {kind: s.read(kind.value, lambda raw, at=s.at(kind.value): _clock(raw, at, business_day, warnings, s),
                           missing='missing (write e.g. "4 hours" or "2 business days")')
              for kind in ClockKind}
    return SeverityPolicy(severity=severity, callback=clocks[ClockKind.CALLBACK], update=clocks[ClockKind.UPDATE],
                          resolution=clocks[ClockKind.RESOLUTION],
                          business_hours_only=s.read("business_hours_only", boolean, default=False))


def _clock(raw: object, path: str, business_day: timedelta, warnings: tuple[float, ...],
           parent: Section) -> ClockPolicy:
    if not isinstance(raw, Mapping):
        target, cal = duration_in(business_day)(raw)
        return ClockPolicy(target=target, calendar=cal, warnings=warnings, written=str(raw))
    clock = Section(raw, path, parent.problems, CLOCK_KEYS)
    target_cal = clock.read("target", duration_in(business_day))
    implied = target_cal[1] if ok(target_cal) else ROUND_THE_CLOCK
    cal = clock.read("calendar", one_of(BUSINESS, ROUND_THE_CLOCK), default=implied)
    if ok(target_cal) and implied == BUSINESS and cal == ROUND_THE_CLOCK:
        cal = parent.problems.add(clock.at("calendar"),
                                  f'"{raw.get("target")}" is business time but the calendar is 24/7')
    limit = clock.read("limit", duration_in(business_day), default=None)
    if ok(limit, target_cal) and limit is not None and limit[0] < target_cal[0]:
        limit = parent.problems.add(clock.at("limit"), f'"{raw.get("limit")}" is shorter than the target')
    own = fractions(clock, "warnings", list(warnings))
    if not ok(target_cal, cal, limit, own):
        return BAD  # type: ignore[no-any-return]
    return ClockPolicy(target=target_cal[0], calendar=cal, limit=None if limit is None else limit[0],
                       warnings=own, written=str(raw.get("target")))


def _frozen(values: tuple[ClockKind, ...]) -> frozenset[ClockKind]:
    return frozenset(values) if ok(values) else BAD


# ----- values -------------------------------------------------------------------------------
def duration(value: object) -> WrittenDuration:
    return parse_duration(value)  # its ValueError says what is wrong


def duration_in(business_day: timedelta) -> Any:
    """A written duration as (timedelta, calendar name)."""
    def convert(value: object) -> tuple[timedelta, str]:
        written = parse_duration(value)
        return written.to_timedelta(business_day=business_day), BUSINESS if written.business else ROUND_THE_CLOCK
    return convert


def weekday(value: object) -> int:
    name = str(value).lower()[:3]
    if name not in WEEKDAYS:
        raise ValueError(f'"{value}" is not a weekday (mon … sun)')
    return WEEKDAYS.index(name)


def time_of_day(value: object) -> time:
    # YAML 1.1 reads an unquoted 09:00 as the sexagesimal integer 540, so an integer is
    # taken as minutes. A small one is far likelier a bare hour (open: 9) than 00:09:
    # refuse it rather than open the desk at nine past midnight.
    problem = f'"{value}" is not a time of day (write "HH:MM")'
    if isinstance(value, bool):
        raise ValueError(problem)
    if isinstance(value, int):
        if not 60 <= value < 24 * 60:
            raise ValueError(problem)
        return time(value // 60, value % 60)
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise ValueError(problem) from None


def _timezone(value: object) -> ZoneInfo:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a non-empty string")
    try:
        return ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'"{value}" is not a known time zone') from None


def _country(value: object) -> str:
    # A country with a generated holiday table is known without importing `holidays` (0.17 s
    # even for its registry alone); others are looked up in the registry's codes, not with
    # country_holidays(), which would import every country's module (benchmarks/cli.py).
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a non-empty string")
    if value.strip() in {country for country, _ in TABLED}:
        return value.strip()
    from holidays.registry import COUNTRIES

    codes = {code for _name, *aliases in COUNTRIES.values() for code in aliases}
    if value.strip() not in codes:
        raise ValueError(f'"{value}" is not a country the holidays package knows')
    return value.strip()


def _subdivision(value: object, country: object) -> str | None:
    import holidays

    if country is BAD:
        return BAD  # type: ignore[no-any-return]
    known = holidays.country_holidays(str(country)).subdivisions
    if str(value) not in known:
        raise ValueError(f'"{value}" is not a subdivision of {country} (known: {", ".join(known)})')
    return str(value)


def fractions(section: Section, key: str, default: list[float]) -> tuple[float, ...]:
    values = section.items(key, fraction, default=default)
    return tuple(sorted(set(values))) if ok(values) else BAD


def _pausing_clock(value: object) -> ClockKind:
    try:
        kind = ClockKind(str(value))
    except ValueError:
        raise ValueError(f'"{value}" is not a clock (callback, update, resolution)') from None
    if kind is ClockKind.CALLBACK:
        raise ValueError("the callback clock never pauses")
    return kind


