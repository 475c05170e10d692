"""The ``escalation``, ``on_call`` and ``scheduler`` sections of ``app.yaml``. Their types
and reader live in ``sla_core.config.scheduling``; re-exported here, where the scheduler
looks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sla_core.config.reader import Problems, Section
from sla_core.config.scheduling import (
    RUNGS, Escalation, OnCallPolicy, Rotation, SchedulerConfig, read_scheduling,
)
from sla_core.policy import Policy


def scheduler_config_from_mapping(data: Mapping[str, Any], policy: Policy) -> SchedulerConfig:
    """These sections of a whole app.yaml mapping (tests and tools)."""
    problems = Problems()
    config = read_scheduling(Section(data, "", problems, None), problems, policy.business_day)
    problems.raise_if_any()
    return config


__all__ = ["RUNGS", "Escalation", "OnCallPolicy", "Rotation", "SchedulerConfig", "scheduler_config_from_mapping"]
