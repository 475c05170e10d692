"""The ``availability``, ``maintenance``, ``reports`` and ``email`` sections of app.yaml.
Their types and reader live in ``sla_core.config.service_levels``; re-exported here, where
the availability code looks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sla_core.config.reader import Problems, Section, ok
from sla_core.config.service_levels import (
    AvailabilityConfig, AvailabilitySettings, EmailSettings, MaintenanceSettings, ReportSettings, read_service_levels,
)
from sla_core.config.support import SUPPORT_KEYS, read_support


def availability_config_from_mapping(data: Mapping[str, Any]) -> AvailabilityConfig:
    """These sections of an app.yaml mapping (tests and tools); the accounts' contact
    emails come from its ``support`` section when present."""
    problems = Problems()
    top = Section(data, "", problems, None)
    accounts: Any = {}
    if top.has("support"):
        support = read_support(top.sub("support", SUPPORT_KEYS), Problems())
        accounts = support.accounts if ok(support) else {}
    config = read_service_levels(top, problems, accounts)
    problems.raise_if_any()
    return config


__all__ = ["AvailabilityConfig", "AvailabilitySettings", "EmailSettings", "MaintenanceSettings", "ReportSettings",
           "availability_config_from_mapping"]
