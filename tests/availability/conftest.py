"""Availability, maintenance and report fixtures: the ticket tests' support configuration,
settings with contact emails, a real SMTP server on loopback, Chromium when present."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sla_core.availability import AvailabilityConfig, availability_config_from_mapping
from sla_core.tickets import SupportConfig, support_from_mapping
from tests.tickets.conftest import SUPPORT_RAW
from tests.doubles.smtp_peer import smtp_peer_on_loopback

if "tests.conftest_db" not in sys.modules:  # pragma: no cover - registered by the root conftest
    from tests.conftest_db import (  # noqa: F401
        _migrated_postgres_url, _migrated_sqlite_template, database_url, db_engine, empty_database_url,
        postgres_schemas, uow,
    )

PARIS = ZoneInfo("Europe/Paris")
CUSTOMER_EMAILS = ["it-ops@acme.example", "cto@initech.example"]


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def _accounts_with_contacts() -> list[dict[str, object]]:
    accounts = [dict(a) for a in SUPPORT_RAW["accounts"]]  # type: ignore[union-attr]
    accounts[0]["contact_email"] = CUSTOMER_EMAILS[0]
    accounts[1]["contact_email"] = [CUSTOMER_EMAILS[1]]
    accounts[2]["contact_email"] = "nobody@globex.example"  # inactive account: never written to
    return accounts


@pytest.fixture(scope="session")
def support() -> SupportConfig:
    # One app.yaml: the accounts the directory is seeded with carry the contact e-mails too.
    return support_from_mapping({**SUPPORT_RAW, "accounts": _accounts_with_contacts()})


@pytest.fixture(scope="session")
def config() -> AvailabilityConfig:
    return availability_config_from_mapping({"support": {"accounts": _accounts_with_contacts()},
                                             "maintenance": {"channel": "C0ANNOUNCE"}})


@dataclass
class Inbox:
    host: str
    port: int
    messages: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1, on a port the system picks."""
    with smtp_peer_on_loopback(Inbox(host="127.0.0.1", port=0)) as inbox:
        yield inbox


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; skipped without one, except in CI (env CI set), where the
    browser test must run."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed and CI is set: the HTML report must be checked in a browser")
    pytest.skip("Chromium is not installed (apt-get install chromium): the HTML report's browser check is skipped")
