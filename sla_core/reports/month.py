"""A calendar month of the policy's time zone, as reports and the scheduler name it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sla_core.intervals import Interval, month_window
from sla_core.errors import InputError

_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, kw_only=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: object, *, field: str = "--month") -> Month:
        match = _PATTERN.match(str(text).strip()) if text is not None else None
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise InputError(field, f"{text!r} is not a month (write YYYY-MM, e.g. 2026-11)")
        return cls(year=int(match.group(1)), month=int(match.group(2)))

    @classmethod
    def of(cls, instant: datetime, timezone: ZoneInfo) -> Month:
        local = instant.astimezone(timezone)
        return cls(year=local.year, month=local.month)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> Month:
        return Month(year=self.year - 1, month=12) if self.month == 1 else Month(year=self.year, month=self.month - 1)

    def window(self, timezone: ZoneInfo) -> Interval:
        return month_window(timezone, self.year, self.month)

    def __str__(self) -> str:
        return self.label
