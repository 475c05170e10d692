"""The report's words in one language: every phrase from ``messages/`` (``report.*``),
numbers, percentages, months and dates as that language writes them (Babel, through
``messages``), durations in each clock's own calendar. Returns plain text: each format
(HTML, Markdown) escapes it where it writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from messages import (
    format_duration, format_month, format_number, format_percent, format_short_datetime, render_plain,
)
from sla_core.reports.model import Breach, ClockTarget, MonthReport, Rate, Reason
from sla_core.severity import Severity

BUSINESS = "business"


@dataclass(frozen=True)
class Words:
    lang: str
    timezone: ZoneInfo
    business_day: timedelta

    @classmethod
    def of(cls, report: MonthReport, lang: str) -> Words:
        return cls(lang, ZoneInfo(report.timezone), report.business_day)

    def __call__(self, key: str, **values: Any) -> str:
        return render_plain(f"report.{key}", self.lang, **values)

    def severity(self, severity: Severity | str) -> str:
        return render_plain(f"severity.{Severity(severity).value}", self.lang)

    def cause(self, cause: str) -> str:
        return render_plain(f"outage.cause.{cause}", self.lang)

    def month(self, value: Any) -> str:
        return format_month(value, self.lang)

    def percent(self, fraction: float | None, digits: int = 1) -> str:
        return format_percent(fraction, self.lang, digits)

    def share(self, rate: Rate) -> str:
        """``66,7 %`` from the decided runs, ``—`` when none."""
        return self.percent(None if rate.percent is None else rate.percent / 100)

    def rate(self, rate: Rate) -> str:
        """``2 sur 3 (66,7 %), 1 en cours``: counts first, the share for the eye."""
        text = f"{self('met_of', met=rate.met, decided=rate.decided)} ({self.share(rate)})" if rate.decided else "—"
        return text + (f", {self('pending', count=rate.pending)}" if rate.pending else "")

    def number(self, value: float, digits: int = 0) -> str:
        return format_number(value, self.lang, digits)

    def when(self, instant: datetime | None) -> str:
        """``3 nov. 12:15`` in the policy's zone; None: the clock is still running."""
        if instant is None:
            return self("still_running")
        return format_short_datetime(instant.astimezone(self.timezone), self.lang)

    def duration(self, amount: timedelta | None, calendar: str = "24/7") -> str:
        """How long, counted in the clock's calendar: ``4 j 17 h`` round the clock;
        ``27 h ouvrées`` in business time (a business day is not 24 hours: hours are said)."""
        if amount is None:
            return "—"
        if calendar == BUSINESS:
            return self("business_time", amount=self.hours(amount))
        return format_duration(amount, self.lang)

    @staticmethod
    def hours(amount: timedelta) -> str:
        """``27 h``, ``1 h 30 min``, ``45 min``: never days (a business day is not 24 hours)."""
        hours, rest = divmod(max(0, int(amount.total_seconds() // 60)), 60)
        return " ".join(([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else []))

    def budget(self, amount: timedelta) -> str:
        """A budget of real time (error budget, maintenance): ``3 h 36 min``."""
        return format_duration(abs(amount), self.lang)

    def target(self, target: ClockTarget) -> str:
        """``1 h``, ``8 heures ouvrées``, ``2 business days``: as the contract says it."""
        if target.calendar != BUSINESS:
            return format_duration(target.amount, self.lang)
        days, rest = divmod(target.amount, self.business_day)
        if days and not rest:
            return self("business_days", n=int(days))
        hours = target.amount.total_seconds() / 3600
        if hours == int(hours):
            return self("business_hours", n=int(hours))
        return self.duration(target.amount, BUSINESS)

    def clock(self, breach: Breach) -> str:
        if breach.clock == "update":
            return self("clock_update", index=breach.index)
        return render_plain(f"clock.{breach.clock}", self.lang).lower()

    def reason(self, reason: Reason) -> str:
        values: dict[str, Any] = {"at": self.when(reason.at), "text": reason.text}
        if reason.kind == "severity_changed":
            values.update(before=self.severity(reason.before).lower(), after=self.severity(reason.after).lower())
        key = reason.kind
        if reason.kind == "waiting":
            if reason.until is None:
                key = "waiting_since"
            else:
                values["until"] = self.when(reason.until)
        return self(f"reason.{key}", **values)
