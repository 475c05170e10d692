"""The ``satisfaction`` section of ``app.yaml``: whether the reporter is asked "How did we
do?" after a resolution is accepted, how often at most (no survey fatigue), and which
scores are posted to the leads' channel. Optional: the defaults below apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sla_core.config.reader import BAD, Problems, Section, boolean, ok
from sla_core.durations import parse_duration

SATISFACTION_KEYS = ("enabled", "once_per", "low_score_at_most")
SCORES = range(1, 6)  # 1 (bad) to 5 (very good)


@dataclass(frozen=True, kw_only=True)
class SatisfactionSettings:
    enabled: bool = True
    once_per: timedelta = timedelta(days=30)  # a reporter is asked at most once in this long
    low_score_at_most: int = 2  # a score this low or lower is posted to the leads; 0: never

    def is_low(self, score: int) -> bool:
        return score <= self.low_score_at_most


def read_satisfaction(top: Section, problems: Problems) -> SatisfactionSettings:
    section = top.sub("satisfaction", SATISFACTION_KEYS, required=False)
    settings = SatisfactionSettings(
        enabled=section.read("enabled", boolean, default=True),
        once_per=section.read("once_per", _period, default="30 days"),
        low_score_at_most=section.read("low_score_at_most", _low_score, default=2))
    if not ok(settings.enabled, settings.once_per, settings.low_score_at_most):
        return BAD  # type: ignore[no-any-return]
    return settings


def _period(value: object) -> timedelta:
    written = parse_duration(value)
    if written.business:
        raise ValueError(f'"{value}" is business time; write real time, e.g. "30 days"')
    return written.to_timedelta(business_day=timedelta(days=1))


def _low_score(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        raise ValueError(f"{value!r} is not a score from 0 (never post) to 5")
    return value
