"""Calendars that count time: the business calendar and the round-the-clock one.

Both answer the same four questions, exact to the microsecond:
``add(start, d)`` — the earliest instant at which ``d`` of counted time has elapsed since
``start``; ``between(a, b)`` — counted time from ``a`` to ``b``; ``is_open(t)``;
``next_opening(t)``.

The business calendar builds its opening windows per *local date* in its time zone (so
09:00 stays 09:00 across daylight-saving changes) and keeps them in three sorted integer
arrays: window starts, window ends and the business time counted before each window. Every
question is then one or two binary searches. We write this rather than use
pandas' ``CustomBusinessHour`` or ``businesstimedelta``: both step hour by hour or day by
day, neither handles time zones properly, and the SLA clock sits on the hot path of every
scheduler tick (see ``benchmarks/deadlines.py`` for the comparison).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from threading import Lock
from typing import Protocol
from zoneinfo import ZoneInfo

from sla_core.holiday_table import holiday_dates, is_tabled, public_holidays

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def _to_us(instant: datetime) -> int:
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant.isoformat()} has no time zone")
    return (instant - _EPOCH) // _US


def _from_us(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


class Calendar(Protocol):
    """What a clock needs from a calendar."""

    def add(self, start: datetime, duration: timedelta) -> datetime: ...

    def between(self, start: datetime, end: datetime) -> timedelta: ...

    def is_open(self, instant: datetime) -> bool: ...

    def next_opening(self, instant: datetime) -> datetime: ...

    def explain(self, start: datetime, end: datetime) -> list[Span]: ...


@dataclass(frozen=True, kw_only=True)
class Closure:
    """Why the desk is closed on a local ``day``: ``night`` (before opening or after
    closing on a business day), ``weekend`` (not an opening weekday), ``holiday`` (a
    public holiday, ``holiday`` its name in the country's own language) or ``closed_day``
    (one of the configuration's extra closed days)."""

    reason: str
    day: date
    holiday: str | None = None


@dataclass(frozen=True, kw_only=True)
class Span:
    """A piece of [start, end) as a calendar counts it: inside an opening ``window``
    (counted; None for round-the-clock time, which is one endless window) or closed for
    the ``closure`` given. ``between(start, end)`` is the sum of the counted spans."""

    start: datetime
    end: datetime
    window: tuple[datetime, datetime] | None = None
    closure: Closure | None = None

    @property
    def counted(self) -> bool:
        return self.closure is None


class RoundTheClock:
    """24/7 time: elapsed real time, UTC arithmetic (4 hours across a DST change are 4 real
    hours)."""

    def add(self, start: datetime, duration: timedelta) -> datetime:
        if duration < timedelta(0):
            raise ValueError("cannot add a negative duration")
        # Convert first: Python adds a timedelta to an aware datetime in *wall* time, so
        # 23:30 + 4 h across the autumn change would land an hour late.
        return start.astimezone(UTC) + duration

    def between(self, start: datetime, end: datetime) -> timedelta:
        return end.astimezone(UTC) - start.astimezone(UTC)

    def is_open(self, instant: datetime) -> bool:
        return True

    def next_opening(self, instant: datetime) -> datetime:
        return instant.astimezone(UTC)

    def explain(self, start: datetime, end: datetime) -> list[Span]:
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        return [Span(start=start, end=end)] if end > start else []


class BusinessCalendar:
    """Opening windows [opens, closes) on the given weekdays, in ``timezone``, closed on
    public holidays of ``holiday_country``/``holiday_subdivision`` and on
    ``extra_closed_days``. Windows are built lazily, a span of years at a time."""

    def __init__(
        self,
        *,
        timezone: ZoneInfo,
        weekdays: tuple[int, ...],
        opens: time,
        closes: time,
        holiday_country: str,
        holiday_subdivision: str | None = None,
        extra_closed_days: tuple[date, ...] = (),
    ) -> None:
        if not weekdays:
            raise ValueError("a business calendar needs at least one opening day")
        self.timezone = timezone
        self.weekdays = tuple(sorted(set(weekdays)))
        self.opens = opens
        self.closes = closes
        self.holiday_country = holiday_country
        self.holiday_subdivision = holiday_subdivision
        self.extra_closed_days = frozenset(extra_closed_days)
        self._lock = Lock()
        self._table = _Table.empty()

    # ---- building the window table ---------------------------------------------------
    def closed_days(self, first: date, last: date) -> set[date]:
        """Public holidays and extra closed days between two dates, inclusive."""
        # From the generated table when it covers them: importing `holidays` costs 0.27 s.
        public = holiday_dates(self.holiday_country, self.holiday_subdivision, first.year, last.year)
        return {d for d in public if first <= d <= last} | {
            d for d in self.extra_closed_days if first <= d <= last
        }

    def holiday_name(self, day: date, language: str | None = None) -> str | None:
        """The public holiday's name on ``day``, in ``language`` ("en", "fr") when the
        holidays package has it, else in the country's own language."""
        return _holiday_names(self.holiday_country, self.holiday_subdivision, day.year, language).get(day)

    def closure(self, day: date) -> Closure:
        """Why the desk is closed (or, on an opening day, closed outside its hours) on ``day``."""
        name = self.holiday_name(day)
        if name is not None:
            return Closure(reason="holiday", day=day, holiday=name)
        if day in self.extra_closed_days:
            return Closure(reason="closed_day", day=day)
        if day.weekday() not in self.weekdays:
            return Closure(reason="weekend", day=day)
        return Closure(reason="night", day=day)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and not self.closed_days(day, day)

    def _window(self, day: date) -> tuple[int, int]:
        start = datetime.combine(day, self.opens, tzinfo=self.timezone)
        end = datetime.combine(day, self.closes, tzinfo=self.timezone)
        return _to_us(start), _to_us(end)

    def _covering(self, *instants_us: int) -> _Table:
        """A table that covers the given instants (µs since the epoch). Queries read the
        table once through this and use only that snapshot: a table being widened by
        another thread is swapped in whole, never seen half-built."""
        table = self._table
        if all(table.low <= us < table.high for us in instants_us):
            return table
        with self._lock:
            table = self._table
            if all(table.low <= us < table.high for us in instants_us):
                return table
            years = [_from_us(us).year for us in instants_us]
            first, last = min(years), max(years)
            if table.high > table.low:  # widen what is already there
                first, last = min(first, table.first_year), max(last, table.last_year)
            self._table = self._build(first - 1, last + 2)  # some room each side
            return self._table

    def _extended(self, table: _Table) -> _Table:
        with self._lock:
            if self._table.last_year <= table.last_year:
                self._table = self._build(self._table.first_year, self._table.last_year + 5)
            return self._table

    def _build(self, first_year: int, last_year: int) -> _Table:
        first, last = date(first_year, 1, 1), date(last_year, 12, 31)
        closed = self.closed_days(first, last)
        starts: list[int] = []
        ends: list[int] = []
        before: list[int] = []
        until_end: list[int] = []
        total = 0
        day = first
        one_day = timedelta(days=1)
        while day <= last:
            if day.weekday() in self.weekdays and day not in closed:
                start, end = self._window(day)
                starts.append(start)
                ends.append(end)
                before.append(total)
                total += end - start
                until_end.append(total)
            day += one_day
        if not starts:
            raise ValueError("the business calendar has no opening window at all")
        low = _to_us(datetime.combine(first, time(0), tzinfo=self.timezone))
        high = _to_us(datetime.combine(last + one_day, time(0), tzinfo=self.timezone))
        return _Table(first_year=first_year, last_year=last_year, low=low, high=high, starts=starts, ends=ends,
                      counted_before=before, counted_until_end=until_end)

    # ---- the four questions ----------------------------------------------------------
    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant at which ``duration`` of business time has elapsed since
        ``start``. A deadline may fall exactly at closing time."""
        if duration < timedelta(0):
            raise ValueError("cannot add a negative duration")
        s = _to_us(start)
        if not duration:
            return _from_us(s)
        table = self._covering(s)
        target = table.counted_at(s) + duration // _US
        while target > table.counted_until_end[-1]:  # past the table: build further years
            table = self._extended(table)
            target = table.counted_at(s) + duration // _US
        j = bisect_left(table.counted_until_end, target)
        return _from_us(table.starts[j] + target - table.counted_before[j])

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        a, b = _to_us(start), _to_us(end)
        table = self._covering(a, b)
        return timedelta(microseconds=table.counted_at(b) - table.counted_at(a))

    def is_open(self, instant: datetime) -> bool:
        us = _to_us(instant)
        table = self._covering(us)
        i = bisect_right(table.starts, us) - 1
        return i >= 0 and us < table.ends[i]

    def next_opening(self, instant: datetime) -> datetime:
        """``instant`` itself when the desk is open then, else the start of the next window."""
        us = _to_us(instant)
        table = self._covering(us)
        i = bisect_right(table.starts, us) - 1
        if i >= 0 and us < table.ends[i]:
            return _from_us(us)
        while i + 1 >= len(table.starts):
            table = self._extended(table)
            i = bisect_right(table.starts, us) - 1
        return _from_us(table.starts[i + 1])

    def explain(self, start: datetime, end: datetime) -> list[Span]:
        """[start, end) cut into the pieces that count (each with its opening window,
        read from the same table as ``between``) and the closed pieces between them, cut
        at local midnights and each given its ``closure``; consecutive closed pieces for
        the same reason are joined (one "night" from 18:00 to 09:00, one "weekend")."""
        a, b = _to_us(start), _to_us(end)
        if b <= a:
            return []
        table = self._covering(a, b)
        spans: list[Span] = []
        cursor = a
        k = max(bisect_right(table.starts, a) - 1, 0)
        while cursor < b:
            if k < len(table.starts) and table.starts[k] <= cursor < table.ends[k]:
                stop = min(table.ends[k], b)
                window = (_from_us(table.starts[k]), _from_us(table.ends[k]))
                spans.append(Span(start=_from_us(cursor), end=_from_us(stop), window=window))
                cursor, k = stop, k + 1
                continue
            if k < len(table.starts) and table.ends[k] <= cursor:
                k += 1
                continue
            stop = min(table.starts[k] if k < len(table.starts) else b, b)
            self._closed(spans, cursor, stop)
            cursor = stop
        return spans

    def _closed(self, spans: list[Span], a: int, b: int) -> None:
        cursor = a
        while cursor < b:
            day = _from_us(cursor).astimezone(self.timezone).date()
            midnight = _to_us(datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.timezone))
            stop = min(midnight, b)
            closure = self.closure(day)
            last = spans[-1] if spans else None
            if (last is not None and last.closure is not None and _to_us(last.end) == cursor
                    and (last.closure.reason, last.closure.holiday) == (closure.reason, closure.holiday)):
                spans[-1] = Span(start=last.start, end=_from_us(stop), closure=last.closure)
            else:
                spans.append(Span(start=_from_us(cursor), end=_from_us(stop), closure=closure))
            cursor = stop

    def windows(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """The opening windows of the local dates ``first`` … ``last`` (for display)."""
        lo = datetime.combine(first, time(0), tzinfo=self.timezone)
        hi = datetime.combine(last + timedelta(days=1), time(0), tzinfo=self.timezone)
        a, b = _to_us(lo), _to_us(hi)
        table = self._covering(a, b)
        i, j = bisect_left(table.starts, a), bisect_left(table.starts, b)
        return [(_from_us(table.starts[k]), _from_us(table.ends[k])) for k in range(i, j)]


@lru_cache(maxsize=256)
def _holiday_names(country: str, subdivision: str | None, year: int, language: str | None) -> dict[date, str]:
    if language in (None, "fr", "en") and is_tabled(country, subdivision, year, year):
        # The generated table carries both names (the country's own language by default).
        chosen = language or "fr"
        return {day: getattr(names, chosen) for day, names in public_holidays(country, subdivision, year, year).items()}
    import holidays as holidays_lib  # 0.27 s: only for what the table does not cover

    probe = holidays_lib.country_holidays(country, subdiv=subdivision, years=year)
    # Asked explicitly: without a language the package picks one from the process locale.
    chosen = probe.default_language
    if language is not None:
        chosen = next((code for code in probe.supported_languages
                       if code == language or code.split("_")[0] == language), chosen)
    named = holidays_lib.country_holidays(country, subdiv=subdivision, years=year, language=chosen)
    return dict(named.items())


@dataclass(frozen=True, kw_only=True)
class _Table:
    """Opening windows of whole years, as sorted µs arrays; immutable once built."""

    first_year: int
    last_year: int
    low: int  # µs of the table's first local midnight
    high: int  # µs of the local midnight after its last day
    starts: list[int]
    ends: list[int]
    counted_before: list[int]  # business µs in all earlier windows
    counted_until_end: list[int]  # business µs up to each window's end

    @classmethod
    def empty(cls) -> _Table:
        return cls(first_year=0, last_year=-1, low=0, high=0, starts=[], ends=[], counted_before=[],
                   counted_until_end=[])

    def counted_at(self, us: int) -> int:
        """Business µs from the start of the table to ``us``."""
        i = bisect_right(self.starts, us) - 1
        if i < 0:
            return 0
        return self.counted_before[i] + min(us - self.starts[i], self.ends[i] - self.starts[i])
