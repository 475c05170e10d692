"""RCA fixtures: the tickets' people and database fixtures, and the bundled configuration."""

from __future__ import annotations

import sys

import pytest

from sla_core.config.rca_section import RcaSettings
from tests.tickets.conftest import support  # noqa: F401 - the ticket tests' desk

if "tests.conftest_db" not in sys.modules:
    from tests.conftest_db import (  # noqa: F401
        _migrated_postgres_url, _migrated_sqlite_template, database_url, db_engine, empty_database_url,
        postgres_schemas, uow,
    )


@pytest.fixture(scope="session")
def rca_settings(app_config) -> RcaSettings:
    return app_config.rca
