"""Tickets to render: driven through the real services on a migrated SQLite copy (the
renderers are pure, so one backend is enough), read back at an explicit instant."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sla_core.persistence.engine import make_engine
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets import Status, SupportConfig, TicketView, get_ticket, support_from_mapping
from tests.tickets.conftest import SUPPORT_RAW
from tests.tickets.helpers import ticket_in


class Desk:
    def __init__(self, uow: UnitOfWork, policy: Policy, support: SupportConfig) -> None:
        self.uow, self.policy, self.support = uow, policy, support

    def ticket(self, status: Status, *, later: timedelta = timedelta(minutes=1)) -> TicketView:
        """A ticket driven to ``status``, read ``later`` after its last event."""
        ref, last = ticket_in(status, self.uow, policy=self.policy, support=self.support)
        return self.read(ref, last + later)

    def read(self, ref: str, at: datetime) -> TicketView:
        return get_ticket(self.uow, policy=self.policy, ticket_ref=ref, now=at)


@pytest.fixture
def desk(_migrated_sqlite_template: Path, tmp_path: Path, policy: Policy) -> Iterator[Desk]:
    target = tmp_path / "astreinte.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, target)
    engine = make_engine(f"sqlite+pysqlite:///{target}")
    yield Desk(UnitOfWork(engine), policy, support_from_mapping(SUPPORT_RAW))
    engine.dispose()
