"""The sender against FaultySlack over real HTTP, on a migrated SQLite file, in the bot's
own wiring (``bot.offline.harness.offline_context``: only Slack and the clock are faked).

The simulated clock starts on Tue 2023-11-14 23:10 Paris (22:10 UTC), just before the
fake's first message timestamp (1700000000.0001 = 22:13:20 UTC): Slack timestamps and our
instants then compare as they do in production, which the metadata lookup (``oldest`` =
a little before the row's creation) relies on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.context import BotContext
from bot.delivery import Sender
from bot.offline.clock import SettableClock
from bot.offline.harness import offline_context
from tests.doubles.faulty_slack import FaultySlack
from sla_core.persistence.migrate import upgrade_database
from sla_core.policy import Policy
from sla_core.config import load_config
from sla_core.tickets import TicketForm, TicketView, service

REPO = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2023, 11, 14, 23, 10, tzinfo=PARIS)
AGENT, REPORTER = "U0AGENT01", "U0ACMEADM"
CRITICAL_CHANNEL, IMPORTANT_CHANNEL = "C0SUPCRIT", "C0SUPIMPT"


@dataclass
class World:
    ctx: BotContext
    slack: FaultySlack
    clock: SettableClock

    def sender(self, worker: str = "sender-1", **options: object) -> Sender:
        options.setdefault("channel_interval", 0.05)  # pacing itself has its own test
        return Sender(self.ctx, worker, **options)  # type: ignore[arg-type]

    def open_critical(self, *, title: str = "Checkout is down for everyone", language: str = "en",
                      key: str = "k1") -> TicketView:
        form = TicketForm(title=title, description="Every payment fails since 23:00.", category="incident",
                          product_version="5.2", language=language, contact_channel="phone",
                          contact_phone="+33 6 12 34 56 78", severity="critical", affected_users="all 300 cashiers")
        return service.open_ticket(self.ctx.uow(), policy=self.ctx.policy, support=self.ctx.support,
                                   reporter_id=REPORTER, form=form, idempotency_key=key, now=self.clock.now)

    def act(self, name: str, ref: str, actor: str = AGENT, *, minutes: float = 5, **kwargs: object) -> TicketView:
        """Run service ``name`` ``minutes`` after the previous instant."""
        fn = getattr(service, name)
        return fn(self.ctx.uow(), policy=self.ctx.policy, support=self.ctx.support, ticket_ref=ref,  # type: ignore[no-any-return]
                  actor_id=actor, now=self.clock.advance(minutes=minutes), **kwargs)


@pytest.fixture
def world(tmp_path: Path, policy: Policy) -> Iterator[World]:
    url = f"sqlite+pysqlite:///{tmp_path / 'astreinte.sqlite3'}"
    upgrade_database(url)
    with world_at(url, policy) as world:
        yield world


@pytest.fixture
def world_on(database_url: str, policy: Policy) -> Iterator[World]:
    """A world on each backend of ``tests.conftest_db`` (SQLite file, PostgreSQL schema)."""
    with world_at(database_url, policy) as world:
        yield world


@contextmanager
def world_at(url: str, policy: Policy) -> Iterator[World]:
    """The bot's context on the migrated database at ``url``, calling a FaultySlack."""
    clock = SettableClock(T0)
    config = load_config(REPO / "app.yaml")
    assert config.policy == policy
    with FaultySlack() as slack, offline_context(config, url, slack, clock=clock) as ctx:
        yield World(ctx=ctx, slack=slack, clock=clock)


def texts(message: object) -> str:
    """Everything a reader sees in a message: its blocks' texts (or its text)."""
    blocks = getattr(message, "blocks", None) or []
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text"):
                out.append(str(node.get("text")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(blocks)
    return "\n".join(out) if out else str(getattr(message, "text", ""))


def buttons(message: object) -> dict[str, str]:
    """action_id → value of every button in the message."""
    found: dict[str, str] = {}
    for block in getattr(message, "blocks", None) or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            found[element["action_id"]] = element["value"]
    return found
