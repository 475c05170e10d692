"""Durations as written in ``app.yaml``: ``"60 minutes"``, ``"4 h"``, ``"2 business days"``.

A written duration says how much time and, optionally, that it is business time. One
business day is the length of the opening window (9 hours by default), so it can only be
turned into a ``timedelta`` once the calendar is known.

We parse by hand rather than with dateutil or isodate: neither knows "business days",
and an ISO 8601 ``P2D`` would silently mean 48 hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

_UNITS: dict[str, str] = {
    "s": "seconds", "sec": "seconds", "second": "seconds", "seconds": "seconds",
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "week": "weeks", "weeks": "weeks",
}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(business\s+)?([a-z]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class WrittenDuration:
    """A duration as written: an amount, a unit, and whether it counts business time."""

    amount: float
    unit: str  # seconds, minutes, hours, days or weeks
    business: bool
    text: str

    def to_timedelta(self, *, business_day: timedelta) -> timedelta:
        """The counted time. In business time a day is ``business_day`` and a week is five
        of them; elsewhere a day is 24 hours."""
        if self.unit == "days":
            unit = business_day if self.business else timedelta(days=1)
        elif self.unit == "weeks":
            unit = business_day * 5 if self.business else timedelta(weeks=1)
        else:
            unit = timedelta(**{self.unit: 1})
        return timedelta(microseconds=round(self.amount * (unit // timedelta(microseconds=1))))

    def __str__(self) -> str:
        return self.text


def parse_duration(text: object) -> WrittenDuration:
    """Parse ``"2 business days"``; raises ``ValueError`` saying what is wrong."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a duration (write e.g. \"60 minutes\" or \"2 business days\")")
    match = _PATTERN.match(text)
    unit = _UNITS.get(match.group(3).lower()) if match else None
    if match is None or unit is None:
        raise ValueError(f'"{text}" is not a duration (write e.g. "60 minutes" or "2 business days")')
    amount = float(match.group(1))
    if amount <= 0:
        raise ValueError(f'"{text}" must be longer than zero')
    return WrittenDuration(amount=amount, unit=unit, business=bool(match.group(2)), text=text.strip())
