"""The JSON forms of the engine, shared by ``astreinte sla`` and the tests: a replay
document in, a clock report out. Every bad field raises InputError naming it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sla_core.clocks import ClockEvent, ClockReport, ClockState, EventType, compute_clocks
from sla_core.errors import InputError
from sla_core.instants import format_instant, parse_instant
from sla_core.ledger import ClockLedger, Entry, Ledger, ledger
from sla_core.policy import Policy
from sla_core.severity import Severity

EVENT_TYPES = ", ".join(t.value for t in EventType)


def parse_severity(value: object, *, field: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise InputError(field, str(exc)) from None


def parse_events(raw: object, *, policy: Policy) -> list[ClockEvent]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("events", "must be a list of {at, type, severity?} objects")
    events = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InputError(f"events[{i}]", "must be an object with at and type")
        try:
            kind = EventType(item.get("type"))
        except ValueError:
            raise InputError(f"events[{i}].type",
                             f"unknown event type {item.get('type')!r} (expected one of: {EVENT_TYPES})") from None
        at = parse_instant(item.get("at"), timezone=policy.timezone, field=f"events[{i}].at")
        severity = None
        if kind is EventType.SEVERITY_CHANGED:
            if item.get("severity") is None:
                raise InputError(f"events[{i}].severity", "a severity_changed event needs the new severity")
            severity = parse_severity(item["severity"], field=f"events[{i}].severity")
        by = item.get("by")
        if by is not None and not isinstance(by, str):
            raise InputError(f"events[{i}].by", "must be a string (who did it)")
        events.append(ClockEvent(at=at, type=kind, severity=severity, by=by))
    return events


def replay(policy: Policy, document: object) -> dict[str, Any]:
    """``{"severity", "opened_at", "now", "events"}`` → ``{"severity", "clocks"}``."""
    log = _replay_log(policy, document)
    return report_to_dict(policy, compute_clocks(policy, **log))


def _replay_log(policy: Policy, document: object) -> dict[str, Any]:
    """A replay document read into the engine's arguments, each bad field named."""
    if not isinstance(document, dict):
        raise InputError("input", "must be a JSON object with severity, opened_at, now and events")
    for key in ("severity", "opened_at", "now"):
        if key not in document:
            raise InputError(key, "missing")
    return {"severity": parse_severity(document["severity"], field="severity"),
            "opened_at": parse_instant(document["opened_at"], timezone=policy.timezone, field="opened_at"),
            "now": parse_instant(document["now"], timezone=policy.timezone, field="now"),
            "events": parse_events(document.get("events"), policy=policy)}


def report_to_dict(policy: Policy, report: ClockReport) -> dict[str, Any]:
    def fmt(t: datetime | None) -> str | None:
        return format_instant(t, timezone=policy.timezone)

    def clock(state: ClockState, *, with_limit: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"state": state.state.value, "due": fmt(state.due)}
        if with_limit:
            out["limit"] = fmt(state.limit)
        out["warn_at"] = [fmt(t) for t in state.warn_at]
        out["stopped_at"] = fmt(state.stopped_at)
        out["breached_at"] = fmt(state.breached_at)
        return out

    return {
        "severity": report.severity.value,
        "clocks": {
            "callback": clock(report.callback),
            "update": clock(report.update),
            "resolution": clock(report.resolution, with_limit=True),
        },
    }


def deadlines(policy: Policy, *, severity: Severity, opened_at: datetime) -> dict[str, Any]:
    """The targets of a ticket just opened."""
    report = compute_clocks(policy, opened_at=opened_at, severity=severity, events=[], now=opened_at)

    def fmt(t: datetime | None) -> str | None:
        return format_instant(t, timezone=policy.timezone)

    return {
        "severity": severity.value,
        "opened_at": fmt(opened_at),
        "callback_due": fmt(report.callback.due),
        "callback_warn_at": [fmt(t) for t in report.callback.warn_at],
        "resolution_due": fmt(report.resolution.due),
        "resolution_limit": fmt(report.resolution.limit),
    }


def replay_ledger(policy: Policy, document: object) -> Ledger:
    """The same replay document → every clock's ledger (``astreinte sla replay --explain``).
    Events may carry ``by`` (who did it), shown beside the pauses they set."""
    return ledger(policy, **_replay_log(policy, document))


def ledger_to_dict(policy: Policy, book: Ledger) -> dict[str, Any]:
    """A ledger as JSON: instants in the policy's zone, durations in whole seconds (and
    microseconds, for the rare sub-second value, under ``*_us``)."""
    def fmt(t: datetime | None) -> str | None:
        return format_instant(t, timezone=policy.timezone)

    def seconds(d: timedelta | None) -> float | None:
        return None if d is None else d / timedelta(seconds=1)

    def entry(e: Entry) -> dict[str, Any]:
        out: dict[str, Any] = {"start": fmt(e.start), "end": fmt(e.end), "seconds": seconds(e.length),
                               "counted": e.counted}
        if e.counted:
            out["window"] = None if e.window is None else [fmt(e.window[0]), fmt(e.window[1])]
        else:
            out["reason"] = e.reason
        if e.holiday is not None:
            out["holiday"] = e.holiday
        if e.spell is not None:
            out["pause"] = {"cause": e.spell.cause, "from": fmt(e.spell.since), "to": fmt(e.spell.until),
                            "set_by": e.spell.by}
        return out

    def clock(c: ClockLedger) -> dict[str, Any]:
        return {
            "state": c.state.state.value, "started_at": fmt(c.start), "counted_until": fmt(c.horizon),
            "due": fmt(c.state.due), "target_seconds": seconds(c.target), "elapsed_seconds": seconds(c.elapsed),
            "remaining_seconds": seconds(c.remaining),
            "regimes": [{"severity": line.regime.severity.value, "change": line.regime.change,
                         "set_at": fmt(line.regime.set_at), "anchor": fmt(line.regime.anchor),
                         "target_seconds": seconds(line.regime.policy.target), "calendar": line.regime.policy.calendar,
                         "due": fmt(line.due), "consumed_seconds": seconds(line.consumed), "deciding": line.deciding}
                        for line in c.regimes],
            "entries": [entry(e) for e in c.entries],
            "projected": [entry(e) for e in c.projected],
        }

    return {"severity": book.severity.value, "opened_at": fmt(book.opened_at), "now": fmt(book.now),
            "timezone": policy.timezone.key,
            "clocks": {c.state.kind.value: clock(c) for c in book.clocks}}
