"""Intervals of real time: merging, subtracting, covering, rolling windows and calendar
months in the policy's time zone. With ``sla_core.calendar`` and ``sla_core.clocks`` this
is the engine's time arithmetic; availability, the maintenance budget and reports use it
and compute no window of their own."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

# Intervals are [start, end) pairs of aware instants counted in real time (the contract's
# availability is 24/7/365); a calendar month is its local midnights in the policy's zone,
# so it follows DST changes.
Interval = tuple[datetime, datetime]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of ``intervals`` as sorted, disjoint intervals (empty ones dropped), so
    that two overlapping outages are never counted twice."""
    spans = sorted((s.astimezone(UTC), e.astimezone(UTC)) for s, e in intervals if e > s)
    merged: list[Interval] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract_intervals(intervals: Iterable[Interval], removed: Iterable[Interval]) -> list[Interval]:
    """``intervals`` minus ``removed`` (both merged first)."""
    cuts = merge_intervals(removed)
    out: list[Interval] = []
    for start, end in merge_intervals(intervals):
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                out.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
        if cursor < end:
            out.append((cursor, end))
    return out


def covered(intervals: Iterable[Interval], *, start: datetime, end: datetime) -> timedelta:
    """Real time inside [start, end) covered by the union of ``intervals``."""
    total = timedelta(0)
    for s, e in merge_intervals(intervals):
        lo, hi = max(s, start), min(e, end)
        if hi > lo:
            total += hi - lo
    return total


def trailing_window(end: datetime, length: timedelta) -> Interval:
    """The window of ``length`` real time that ends at ``end`` ("the last 30 days")."""
    end = end.astimezone(UTC)
    return end - length, end


def month_window(timezone: ZoneInfo, year: int, month: int) -> Interval:
    """A calendar month in ``timezone``: from its first local midnight to the next
    month's, as UTC instants (a month with a DST change is an hour shorter or longer)."""
    first = datetime(year, month, 1, tzinfo=timezone)
    following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=timezone)
    return first.astimezone(UTC), following.astimezone(UTC)


def worst_window(intervals: Iterable[Interval], *, first_end: datetime, last_end: datetime,
                 length: timedelta) -> tuple[Interval, timedelta]:
    """Of the windows of ``length`` ending between ``first_end`` and ``last_end``, the one
    that ``intervals`` cover most, and how much. The covered time of a sliding window is
    piecewise linear in its end, so its maximum is reached where a window edge meets an
    interval edge: only those ends (and the two bounds) need checking."""
    spans = merge_intervals(intervals)
    first_end, last_end = first_end.astimezone(UTC), last_end.astimezone(UTC)
    candidates = {first_end, last_end}
    for s, e in spans:
        candidates.update((e, s + length, s, e + length))
    best: tuple[Interval, timedelta] | None = None
    for candidate in sorted(c for c in candidates if first_end <= c <= last_end):
        window = trailing_window(candidate, length)
        amount = covered(spans, start=window[0], end=window[1])
        if best is None or amount > best[1]:
            best = (window, amount)
    assert best is not None
    return best
