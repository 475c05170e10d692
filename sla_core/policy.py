"""The SLA policy: the ``policy`` section of ``app.yaml`` loaded into typed, validated,
frozen objects. A wrong file fails with the key path and what is wrong, e.g.
``policy.severities.low.callback: "2 bussiness days" is not a duration``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml

from sla_core.calendar import BusinessCalendar, Calendar, RoundTheClock
from sla_core.durations import parse_duration
from sla_core.errors import ConfigError
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


DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent / "app.yaml"


def load_yaml(path: str | Path | None) -> dict[str, Any]:
    """Read a YAML configuration file; a missing or unreadable one is a ConfigError."""
    target = Path(path) if path is not None else DEFAULT_CONFIG_PATH
    try:
        data = yaml.safe_load(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("", f"configuration file {target} does not exist") from None
    except yaml.YAMLError as exc:
        raise ConfigError("", f"{target} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("", f"{target} must hold a mapping at its top level")
    return data


def load_policy(path: str | Path | None = None) -> Policy:
    """Load the ``policy`` section of the configuration file (``app.yaml`` by default)."""
    data = load_yaml(path)
    if "policy" not in data:
        raise ConfigError("policy", "missing section")
    return policy_from_mapping(data["policy"], path="policy")


def policy_from_mapping(raw: object, *, path: str = "policy") -> Policy:
    reader = _Reader(raw, path)
    tz_name = reader.str("timezone")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{path}.timezone", f'"{tz_name}" is not a known time zone') from None

    hours = reader.sub("business_hours")
    days = hours.list("days")
    business_days: list[int] = []
    for i, day in enumerate(days):
        name = str(day).lower()[:3]
        if name not in WEEKDAYS:
            raise ConfigError(f"{hours.path}.days[{i}]", f'"{day}" is not a weekday (mon … sun)')
        business_days.append(WEEKDAYS.index(name))
    opens, closes = hours.time("open"), hours.time("close")
    if closes <= opens:
        raise ConfigError(f"{hours.path}.close", f"{closes:%H:%M} is not after open ({opens:%H:%M})")

    hol = reader.sub("holidays")
    country = hol.str("country")
    subdivision = hol.optional("subdivision")
    try:
        known = holidays.country_holidays(country)
    except NotImplementedError:
        raise ConfigError(f"{hol.path}.country", f'"{country}" is not a country the holidays package knows') from None
    if subdivision is not None and str(subdivision) not in known.subdivisions:
        raise ConfigError(f"{hol.path}.subdivision", f'"{subdivision}" is not a subdivision of {country} '
                          f'(known: {", ".join(known.subdivisions)})')
    extra = []
    for i, day in enumerate(hol.list("extra_closed_days", default=[])):
        try:
            extra.append(day if isinstance(day, date) else date.fromisoformat(str(day)))
        except ValueError:
            raise ConfigError(f"{hol.path}.extra_closed_days[{i}]", f'"{day}" is not a date (YYYY-MM-DD)') from None

    warnings = _fractions(reader.raw.get("warnings", [0.75]), f"{path}.warnings")
    calendar = BusinessCalendar(
        timezone=tz, weekdays=tuple(sorted(set(business_days))), opens=opens, closes=closes,
        holiday_country=country, holiday_subdivision=None if subdivision is None else str(subdivision),
        extra_closed_days=tuple(extra),
    )
    business_day = _window_length(opens, closes)

    auto_accept = _duration(reader.raw.get("auto_accept_after", "5 business days"),
                            f"{path}.auto_accept_after", business_day)

    pauses_raw = reader.sub("pauses", default={})
    pauses: dict[str, frozenset[ClockKind]] = {}
    for situation in ("waiting_on_customer", "resolution_proposed"):
        kinds = []
        for i, name in enumerate(pauses_raw.list(situation, default=[])):
            try:
                kind = ClockKind(str(name))
            except ValueError:
                raise ConfigError(f"{pauses_raw.path}.{situation}[{i}]",
                                  f'"{name}" is not a clock (callback, update, resolution)') from None
            if kind is ClockKind.CALLBACK:
                raise ConfigError(f"{pauses_raw.path}.{situation}[{i}]", "the callback clock never pauses")
            kinds.append(kind)
        pauses[situation] = frozenset(kinds)
    unknown = set(pauses_raw.raw) - set(pauses)
    if unknown:
        raise ConfigError(f"{pauses_raw.path}.{sorted(unknown)[0]}",
                          "unknown situation (expected waiting_on_customer or resolution_proposed)")

    change = reader.sub("severity_change", default={})
    downgrade = change.choice("downgrade", ("recompute",), default="recompute")
    upgrade = change.choice("upgrade", ("earliest",), default="earliest")

    sev_reader = reader.sub("severities")
    severities: dict[Severity, SeverityPolicy] = {}
    for severity in Severity:
        s = sev_reader.sub(severity.value)
        clocks = {kind: _clock(s.raw.get(kind.value), f"{s.path}.{kind.value}", business_day, warnings)
                  for kind in ClockKind}
        bho = s.raw.get("business_hours_only", False)
        if not isinstance(bho, bool):
            raise ConfigError(f"{s.path}.business_hours_only", f"{bho!r} is not true or false")
        severities[severity] = SeverityPolicy(
            severity=severity, callback=clocks[ClockKind.CALLBACK], update=clocks[ClockKind.UPDATE],
            resolution=clocks[ClockKind.RESOLUTION], business_hours_only=bho,
        )
    extra_sev = set(sev_reader.raw) - {s.value for s in Severity}
    if extra_sev:
        raise ConfigError(f"{sev_reader.path}.{sorted(extra_sev)[0]}",
                          "unknown severity (expected critical, important, low, none)")

    restarts = reader.raw.get("update_restarts_on_rejection", True)
    if not isinstance(restarts, bool):
        raise ConfigError(f"{path}.update_restarts_on_rejection", f"{restarts!r} is not true or false")

    return Policy(
        timezone=tz, business_days=calendar.weekdays, opens=opens, closes=closes,
        holiday_country=country, holiday_subdivision=calendar.holiday_subdivision,
        extra_closed_days=tuple(extra), warnings=warnings, auto_accept_after=auto_accept[0],
        auto_accept_calendar=auto_accept[1], pauses=pauses, update_restarts_on_rejection=restarts,
        downgrade_rule=downgrade, upgrade_rule=upgrade, severities=severities,
        business_calendar=calendar, round_the_clock=RoundTheClock(),
    )


def _duration(raw: object, path: str, business_day: timedelta) -> tuple[timedelta, str]:
    try:
        written = parse_duration(raw)
    except ValueError as exc:
        raise ConfigError(path, str(exc)) from None
    return written.to_timedelta(business_day=business_day), BUSINESS if written.business else ROUND_THE_CLOCK


def _clock(raw: object, path: str, business_day: timedelta, default_warnings: tuple[float, ...]) -> ClockPolicy:
    if raw is None:
        raise ConfigError(path, "missing (write e.g. \"4 hours\" or \"2 business days\")")
    if not isinstance(raw, Mapping):
        target, cal = _duration(raw, path, business_day)
        return ClockPolicy(target=target, calendar=cal, warnings=default_warnings, written=str(raw))
    reader = _Reader(raw, path)
    target, implied = _duration(raw.get("target"), f"{path}.target", business_day)
    cal = reader.choice("calendar", (BUSINESS, ROUND_THE_CLOCK), default=implied)
    if implied == BUSINESS and cal != BUSINESS:
        raise ConfigError(f"{path}.calendar", f'"{raw.get("target")}" is business time but the calendar is 24/7')
    limit = None
    if raw.get("limit") is not None:
        limit, _ = _duration(raw.get("limit"), f"{path}.limit", business_day)
        if limit < target:
            raise ConfigError(f"{path}.limit", f'"{raw.get("limit")}" is shorter than the target')
    warnings = _fractions(raw["warnings"], f"{path}.warnings") if "warnings" in raw else default_warnings
    unknown = set(raw) - {"target", "calendar", "limit", "warnings"}
    if unknown:
        raise ConfigError(f"{path}.{sorted(unknown)[0]}", "unknown key (expected target, calendar, limit, warnings)")
    return ClockPolicy(target=target, calendar=cal, limit=limit, warnings=warnings, written=str(raw.get("target")))


def _fractions(raw: object, path: str) -> tuple[float, ...]:
    if not isinstance(raw, list):
        raise ConfigError(path, f"{raw!r} is not a list of fractions such as [0.75]")
    out = []
    for i, value in enumerate(raw):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ConfigError(f"{path}[{i}]", f"{value!r} is not a fraction between 0 and 1 (e.g. 0.75)")
        out.append(float(value))
    return tuple(sorted(set(out)))


class _Reader:
    """Reads one mapping of the configuration, naming the key path in every error."""

    def __init__(self, raw: object, path: str) -> None:
        if not isinstance(raw, Mapping):
            raise ConfigError(path, f"must be a mapping, not {type(raw).__name__}")
        self.raw: Mapping[str, Any] = raw
        self.path = path

    def _get(self, key: str) -> Any:
        if key not in self.raw:
            raise ConfigError(f"{self.path}.{key}", "missing")
        return self.raw[key]

    def str(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{self.path}.{key}", f"{value!r} is not a non-empty string")
        return value.strip()

    def optional(self, key: str) -> Any:
        return self.raw.get(key)

    def list(self, key: str, default: list[Any] | None = None) -> list[Any]:
        value = self.raw.get(key, default) if default is not None else self._get(key)
        if value is None:
            value = []
        if not isinstance(value, list):
            raise ConfigError(f"{self.path}.{key}", f"{value!r} is not a list")
        return value

    def sub(self, key: str, default: Mapping[str, Any] | None = None) -> _Reader:
        value = self.raw.get(key, default) if default is not None else self._get(key)
        return _Reader(value if value is not None else {}, f"{self.path}.{key}")

    def time(self, key: str) -> time:
        value = self._get(key)
        try:
            return time.fromisoformat(str(value)) if not isinstance(value, int) else _minutes(value)
        except ValueError:
            raise ConfigError(f"{self.path}.{key}", f'"{value}" is not a time of day (write "HH:MM")') from None

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        value = self.raw.get(key, default)
        if value not in options:
            raise ConfigError(f"{self.path}.{key}", f'"{value}" is not one of: {", ".join(options)}')
        return str(value)


def _minutes(value: int) -> time:
    # YAML 1.1 reads an unquoted 09:00 as the sexagesimal integer 540, so an integer is
    # taken as minutes. A small one is far likelier a bare hour (open: 9) than 00:09:
    # refuse it rather than open the desk at nine past midnight.
    if isinstance(value, bool) or not 60 <= value < 24 * 60:
        raise ValueError(value)
    return time(value // 60, value % 60)
