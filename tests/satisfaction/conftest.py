"""The ticket tests' support configuration (accounts, reporters, agents)."""

from __future__ import annotations

import pytest

from sla_core.tickets import SupportConfig, support_from_mapping
from tests.tickets.conftest import SUPPORT_RAW


@pytest.fixture(scope="session")
def support() -> SupportConfig:
    return support_from_mapping(SUPPORT_RAW)
