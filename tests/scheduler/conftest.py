"""Scheduler fixtures: a desk (services + tick) on the parametrised database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sla_core.persistence.engine import make_engine
from sla_core.policy import Policy
from sla_core.config import AppConfig
from sla_core.scheduler.config import SchedulerConfig
from sla_core.tickets import SupportConfig, support_from_mapping
from tests.scheduler.desk import AGENT, AGENT2, LEAD, REPORTER, Desk

SUPPORT_RAW = {
    "reopen_within": "10 business days",
    "agents": [AGENT, AGENT2],
    "leads": [LEAD],
    "on_call": ["U0ONCALL1"],
    "accounts": [{"id": "acme", "name": "ACME Corp", "active": True, "administrators": [REPORTER]}],
    "versions": {"5.2": "supported"},
}


@pytest.fixture(scope="session")
def support() -> SupportConfig:
    return support_from_mapping(SUPPORT_RAW)


@pytest.fixture(scope="session")
def scheduler_config(app_config: AppConfig) -> SchedulerConfig:
    """The escalation, on_call and scheduler sections of the repository's app.yaml."""
    return app_config.scheduling


@pytest.fixture
def desk(database_url: str, policy: Policy, support: SupportConfig,
         scheduler_config: SchedulerConfig) -> Iterator[Desk]:
    engine = make_engine(database_url)
    yield Desk(engine=engine, policy=policy, support=support, config=scheduler_config)
    engine.dispose()
