"""The ``escalation`` and ``on_call`` sections of ``app.yaml``, typed and validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from sla_core.durations import parse_duration
from sla_core.errors import ConfigError
from sla_core.policy import BUSINESS, ROUND_THE_CLOCK, WEEKDAYS, Policy, load_yaml
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


def load_scheduler_config(path: str | Path | None, policy: Policy) -> SchedulerConfig:
    return scheduler_config_from_mapping(load_yaml(path), policy)


def scheduler_config_from_mapping(data: Mapping[str, Any], policy: Policy) -> SchedulerConfig:
    business_day = policy.business_day
    esc_raw = _mapping(data.get("escalation"), "escalation")
    escalation = {}
    for severity in Severity:
        path = f"escalation.{severity.value}"
        raw = _mapping(esc_raw.get(severity.value), path)
        written = _duration(raw.get("repeat_every"), f"{path}.repeat_every")
        chain = raw.get("chain")
        if not isinstance(chain, list) or not chain:
            raise ConfigError(f"{path}.chain", f"a non-empty list of: {', '.join(RUNGS)}")
        for i, rung in enumerate(chain):
            if rung not in RUNGS:
                raise ConfigError(f"{path}.chain[{i}]", f'"{rung}" is not one of: {", ".join(RUNGS)}')
        escalation[severity] = Escalation(
            repeat_every=written.to_timedelta(business_day=business_day),
            calendar=BUSINESS if written.business else ROUND_THE_CLOCK, chain=tuple(chain))

    oc = _mapping(data.get("on_call"), "on_call")
    rotation = None
    if oc.get("rotation") is not None:
        rot = _mapping(oc["rotation"], "on_call.rotation")
        people = rot.get("people")
        if not isinstance(people, list) or not people or not all(isinstance(p, str) for p in people):
            raise ConfigError("on_call.rotation.people", "a non-empty list of Slack user ids")
        handover = _mapping(rot.get("handover"), "on_call.rotation.handover")
        weekday = str(handover.get("weekday", "")).lower()[:3]
        if weekday not in WEEKDAYS:
            raise ConfigError("on_call.rotation.handover.weekday", f'"{handover.get("weekday")}" is not a weekday')
        try:
            raw_time = handover.get("time")
            at = time(raw_time // 60, raw_time % 60) if isinstance(raw_time, int) else time.fromisoformat(str(raw_time))
        except ValueError:
            raise ConfigError("on_call.rotation.handover.time", f'"{handover.get("time")}" is not HH:MM') from None
        try:
            starts = rot["starts"] if isinstance(rot.get("starts"), date) else date.fromisoformat(str(rot.get("starts")))
        except ValueError:
            raise ConfigError("on_call.rotation.starts", f'"{rot.get("starts")}" is not a date (YYYY-MM-DD)') from None
        rotation = Rotation(people=tuple(people), handover_weekday=WEEKDAYS.index(weekday), handover_time=at,
                            starts=starts)
    usergroup = oc.get("usergroup")
    if rotation is None and not usergroup:
        raise ConfigError("on_call", "needs a rotation, a usergroup, or both")
    important = oc.get("important_callback_at_risk", True)
    if not isinstance(important, bool):
        raise ConfigError("on_call.important_callback_at_risk", f"{important!r} is not true or false")

    sched = data.get("scheduler") or {}
    if not isinstance(sched, Mapping):
        raise ConfigError("scheduler", "must be a mapping")
    tick = sched.get("tick_seconds", 15)
    if isinstance(tick, bool) or not isinstance(tick, (int, float)) or not 1 <= tick <= 3600:
        raise ConfigError("scheduler.tick_seconds", f"{tick!r} is not a number of seconds between 1 and 3600")
    digest = sched.get("digest_threshold", 5)
    if isinstance(digest, bool) or not isinstance(digest, int) or digest < 1:
        raise ConfigError("scheduler.digest_threshold", f"{digest!r} is not a positive whole number")
    return SchedulerConfig(
        escalation=escalation,
        on_call=OnCallPolicy(
            rotation=rotation, usergroup=str(usergroup) if usergroup else None,
            page_every=_duration(oc.get("page_every", "15 minutes"), "on_call.page_every").to_timedelta(
                business_day=business_day),
            secondary_after=_duration(oc.get("secondary_after", "30 minutes"), "on_call.secondary_after").to_timedelta(
                business_day=business_day),
            important_callback_at_risk=important),
        tick_seconds=float(tick),
        late_after=_duration(sched.get("late_after", "2 minutes"), "scheduler.late_after").to_timedelta(
            business_day=business_day),
        digest_threshold=digest,
    )


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(path, "missing section" if value is None else "must be a mapping")
    return value


def _duration(raw: object, path: str):  # type: ignore[no-untyped-def]
    try:
        return parse_duration(raw)
    except ValueError as exc:
        raise ConfigError(path, str(exc)) from None
