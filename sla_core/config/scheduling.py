"""The ``escalation``, ``on_call`` and ``scheduler`` sections of ``app.yaml``: who is told
when a clock is breached, who is on call, and how often the scheduler ticks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sla_core.config.policy_section import time_of_day, weekday
from sla_core.config.reader import BAD, Problems, Section, boolean, did_you_mean, iso_date, ok, user_id, usergroup_id
from sla_core.durations import parse_duration
from sla_core.policy import BUSINESS, ROUND_THE_CLOCK
from sla_core.severity import Severity

RUNGS = ("severity_channel", "leads", "on_call")


@dataclass(frozen=True, kw_only=True)
class Escalation:
    """After a breach: notify ``chain[0]`` at once, then climb one rung every
    ``repeat_every`` (counted in ``calendar``), staying on the last rung."""

    repeat_every: timedelta
    calendar: str
    chain: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Rotation:
    people: tuple[str, ...]
    handover_weekday: int  # 0 = Monday
    handover_time: time
    starts: date  # the local date of the first hand-over to people[0]


@dataclass(frozen=True, kw_only=True)
class OnCallPolicy:
    rotation: Rotation | None
    usergroup: str | None  # a Slack user group mentioned in the on-call channel as well
    page_every: timedelta
    secondary_after: timedelta
    important_callback_at_risk: bool  # Important out of hours: tell on-call when the callback is at risk


@dataclass(frozen=True, kw_only=True)
class SchedulerConfig:
    escalation: Mapping[Severity, Escalation]
    on_call: OnCallPolicy
    tick_seconds: float
    late_after: timedelta  # a notice sent later than this after its instant is marked late
    digest_threshold: int  # more due notices than this for one channel in one pass → one digest


ON_CALL_KEYS = ("rotation", "usergroup", "page_every", "secondary_after", "important_callback_at_risk")
SCHEDULER_KEYS = ("tick_seconds", "late_after", "digest_threshold")


def read_scheduling(top: Section, problems: Problems, business_day: timedelta) -> SchedulerConfig:
    def span(value: object) -> timedelta:
        return parse_duration(value).to_timedelta(business_day=business_day)

    esc = top.sub("escalation", [s.value for s in Severity], what="severity")
    escalation = {s: _escalation(esc.sub(s.value, ("repeat_every", "chain")), business_day) for s in Severity
                  if esc.valid}

    oc = top.sub("on_call", ON_CALL_KEYS)
    rotation = _rotation(oc.sub("rotation", ("people", "handover", "starts"), required=False)) \
        if oc.has("rotation") else None
    usergroup = oc.read("usergroup", usergroup_id, default=None)
    if oc.valid and rotation is None and usergroup is None:
        problems.add("on_call", "needs a rotation, a usergroup, or both")
    on_call = OnCallPolicy(
        rotation=rotation, usergroup=usergroup, page_every=oc.read("page_every", span, default="15 minutes"),
        secondary_after=oc.read("secondary_after", span, default="30 minutes"),
        important_callback_at_risk=oc.read("important_callback_at_risk", boolean, default=True))

    sched = top.sub("scheduler", SCHEDULER_KEYS, required=False)
    config = SchedulerConfig(
        escalation=escalation, on_call=on_call, tick_seconds=sched.read("tick_seconds", _tick_seconds, default=15),
        late_after=sched.read("late_after", span, default="2 minutes"),
        digest_threshold=sched.read("digest_threshold", _positive_int, default=5))
    return config if not problems.items else BAD


def _escalation(section: Section, business_day: timedelta) -> Escalation:
    written = section.read("repeat_every", parse_duration)
    chain = section.items("chain", _rung, missing=f"a non-empty list of: {', '.join(RUNGS)}", non_empty=True)
    if not ok(written, chain):
        return BAD  # type: ignore[no-any-return]
    return Escalation(repeat_every=written.to_timedelta(business_day=business_day),
                      calendar=BUSINESS if written.business else ROUND_THE_CLOCK, chain=chain)


def _rotation(section: Section) -> Rotation:
    people = section.items("people", user_id, missing="a non-empty list of Slack user ids", non_empty=True)
    handover = section.sub("handover", ("weekday", "time"))
    day = handover.read("weekday", weekday)
    at = handover.read("time", time_of_day)
    starts = section.read("starts", iso_date)
    if not ok(people, day, at, starts):
        return BAD  # type: ignore[no-any-return]
    return Rotation(people=people, handover_weekday=day, handover_time=at, starts=starts)


def _rung(value: object) -> str:
    if value not in RUNGS:
        raise ValueError(f'"{value}" is not one of: {", ".join(RUNGS)}; {did_you_mean(str(value), RUNGS)}')
    return str(value)


def _tick_seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 3600:
        raise ValueError(f"{value!r} is not a number of seconds between 1 and 3600")
    return float(value)


def _positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{value!r} is not a positive whole number")
    return value
