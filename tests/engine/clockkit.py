"""Helpers shared by the clock test modules: events and reports at Paris wall time."""

from __future__ import annotations

from datetime import datetime

from sla_core.clocks import ClockEvent, ClockReport, ClockStatus, EventType, compute_clocks
from sla_core.policy import Policy
from sla_core.severity import Severity
from tests.engine.conftest import iso, paris

T = EventType
S = ClockStatus


def ev(at: str, type_: EventType, severity: Severity | None = None) -> ClockEvent:
    return ClockEvent(at=paris(at), type=type_, severity=severity)


def run(policy: Policy, severity: Severity, opened: str, *events: ClockEvent, now: str) -> ClockReport:
    return compute_clocks(policy, opened_at=paris(opened), severity=severity, events=list(events), now=paris(now))


def isos(instants: tuple[datetime, ...]) -> list[str | None]:
    return [iso(t) for t in instants]


# An Important ticket opened Tuesday 24 November at 10:00, called back at 11:00, and a
# resolution proposed at 14:00: the scenario several tests start from.
IMPORTANT_TUE = "2026-11-24T10:00"
CALLED_BACK = ev("2026-11-24T11:00", T.CALLBACK)
PROPOSED = ev("2026-11-24T14:00", T.RESOLUTION_PROPOSED)
