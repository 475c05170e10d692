"""Ticket test helpers: a support configuration, a valid form, explicit Paris instants.

The database fixtures come from the ``tests.conftest_db`` plugin; until the root conftest
registers it, they are imported here (skipped once it is registered, to avoid two
definitions)."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sla_core.tickets import SupportConfig, TicketForm, support_from_mapping

if "tests.conftest_db" not in sys.modules:
    from tests.conftest_db import (  # noqa: F401
        _migrated_postgres_url, _migrated_sqlite_template, database_url, db_engine, empty_database_url,
        postgres_schemas, uow,
    )

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # a Monday, in business hours

AGENT, AGENT2, LEAD, ON_CALL = "UAGENT1", "UAGENT2", "ULEAD1", "UONCALL1"
REPORTER, ADMIN, OTHER_ADMIN, END_USER, STRANGER = "UREPORTER", "UADMIN2", "UOTHERADM", "UENDUSER", "USTRANGER"
INACTIVE_ADMIN = "UGLOBADM"

SUPPORT_RAW = {
    "reopen_within": "10 business days",
    "agents": [AGENT, AGENT2],
    "leads": [LEAD],
    "on_call": [ON_CALL],
    "accounts": [
        {"id": "acme", "name": "ACME Corp", "active": True, "administrators": [REPORTER, ADMIN],
         "end_users": [END_USER]},
        {"id": "initech", "name": "Initech", "active": True, "administrators": [OTHER_ADMIN]},
        {"id": "globex", "name": "Globex", "active": False, "administrators": [INACTIVE_ADMIN]},
    ],
    "versions": {"5.2": "supported", "5.1": "supported", "4.9": "end_of_life", "6.0-beta": "beta",
                 "6.0-rc1": "release_candidate", "7.0-dev": "development"},
}


@pytest.fixture(scope="session")
def support() -> SupportConfig:
    return support_from_mapping(SUPPORT_RAW)


def a_form(**changes: object) -> TicketForm:
    form = TicketForm(title="Login page returns 500", description="Since 09:40 every login fails.",
                      category="incident", product_version="5.2", language="en", contact_channel="email",
                      severity="important")
    return replace(form, **changes)  # type: ignore[arg-type]
