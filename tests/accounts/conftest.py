"""The account directory's fixtures: the ticket tests' support configuration (ACME with
two administrators and an end user, Initech, inactive Globex), seeded into a migrated
database on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from sla_core.accounts.seed import seed
from sla_core.tickets import SupportConfig, support_from_mapping
from tests.tickets.conftest import SUPPORT_RAW

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def support() -> SupportConfig:
    return support_from_mapping(SUPPORT_RAW)


@pytest.fixture
def seeded(db_engine: Engine, support: SupportConfig) -> Engine:
    assert seed(db_engine, support, now=NOW)
    return db_engine
