"""A desk with a bug tracker: the production context (app.yaml, a migrated database on
each backend, a fake Slack, a settable clock) whose ``bug_tracker`` points at a fake GitHub
or Jira on loopback, the tracker's worker and the Slack sender, and the moves of a story."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from types import SimpleNamespace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from bot.context import BotContext
from bot.delivery import Sender
from bot.offline.clock import SettableClock
from bot.offline.fake_slack import FakeSlack
from bot.offline.harness import offline_context
from bot.trackers.github import GitHubTracker
from bot.trackers.jira import JiraTracker
from bot.trackers.worker import TrackerWorker
from sla_core.config import load_config
from sla_core.config.bug_tracker import BugTrackerConfig, GitHubSettings, JiraSettings
from sla_core.outbox.store import PENDING
from sla_core.outbox.models import OutboxRow
from sla_core.tickets import TicketForm, TicketView, get_ticket, open_ticket, perform
from sla_core.tickets.actions import Action
from tests.conftest import REPO
from tests.doubles.fake_trackers import FakeGitHub, FakeJira

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 20, 19, 30, tzinfo=PARIS)  # a Friday evening
AGENT, ADMIN = "U0AGENT01", "U0ACMEADM"
SEVERITY_CHANNEL = "C0SUPCRIT"
WEBHOOK_SECRET = "whsec-test-0123456789"
# Short timeouts: the fakes answer at once unless told to hang up.
CLIENT_TIMEOUT = httpx.Timeout(2.0, connect=1.0)

FORM = TicketForm(title="Export API returns 500", account_id=None,
                  description="Since 5.2.3 every export fails. Call Jean on 06 12 34 56 78 or jean.dupont@acme.fr.",
                  category="api_bug", product_version="5.2", language="en", contact_channel="phone",
                  contact_phone="+33 6 12 34 56 78", severity="critical", affected_users="300",
                  code_sample="client.export(id=42)  # jean.dupont@acme.fr")


@dataclass
class World:
    ctx: BotContext
    clock: SettableClock
    slack: FakeSlack
    tracker: Any  # FakeGitHub | FakeJira
    worker: TrackerWorker
    sender: Sender

    def open(self, **changes: Any) -> TicketView:
        return open_ticket(self.ctx.uow(), policy=self.ctx.policy, support=self.ctx.support, reporter_id=ADMIN,
                           form=replace(FORM, **changes), idempotency_key=None, now=self.clock())

    def act(self, action: Action, ref: str, **fields: Any) -> TicketView:
        self.clock.advance(minutes=1)
        return perform(self.ctx.uow(), action=action, policy=self.ctx.policy, support=self.ctx.support,
                       ticket_ref=ref, actor_id=AGENT, now=self.clock(), bug_tracker=self.ctx.bug_tracker, **fields)

    def file(self, ref: str, **fields: Any) -> TicketView:
        draft = {"title": "Export returns 500", "product_version": "5.2.3", "description": "Every export fails.",
                 "code_sample": "client.export(id=42)", "impact": "Critical; 300 users", **fields}
        return self.act(Action.FILE_BUG, ref, **draft)

    def ticket(self, ref: str) -> TicketView:
        return get_ticket(self.ctx.uow(), policy=self.ctx.policy, ticket_ref=ref, now=self.clock())

    def jobs(self) -> list[SimpleNamespace]:
        """The tracker's jobs in the outbox (their columns), oldest first."""
        columns = [c.name for c in OutboxRow.__table__.columns]
        with self.ctx.uow() as uow:
            rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.audience == "tracker").order_by(OutboxRow.id))
            return [SimpleNamespace(**{c: getattr(r, c) for c in columns}) for r in rows]

    def run_jobs(self) -> int:
        """The worker's passes until nothing is ready now (the clock decides what is)."""
        done = 0
        while (n := self.worker.run_once()):
            done += n
        return done

    def pending_jobs(self) -> list[SimpleNamespace]:
        return [r for r in self.jobs() if r.status == PENDING]

    def deliver(self) -> None:
        while self.sender.run_once():
            pass

    def thread_texts(self, ref: str) -> list[str]:
        ticket = self.ticket(ref)
        assert ticket.slack_channel and ticket.slack_ts
        return [m.text for m in self.slack.thread(ticket.slack_channel, ticket.slack_ts)]

    def root(self, ref: str) -> Any:
        ticket = self.ticket(ref)
        [root] = [m for m in self.slack.messages(ticket.slack_channel or "") if m.ts == ticket.slack_ts]
        return root


def _world(database_url: str, tracker: Any, config: BugTrackerConfig, client: Any) -> Iterator[World]:
    clock = SettableClock(T0)
    with FakeSlack() as slack:
        for user in (AGENT, ADMIN):
            slack.add_user(user, real_name=user.lower(), locale="en-US")
        app = replace(load_config(REPO / "app.yaml"), bug_tracker=config)
        with offline_context(app, database_url, slack, clock=clock) as ctx:
            worker = TrackerWorker(ctx, client, "test-trackers", in_flight_settle=timedelta(seconds=30),
                                   backoff=timedelta(seconds=10))
            yield World(ctx=ctx, clock=clock, slack=slack, tracker=tracker, worker=worker,
                        sender=Sender(ctx, "test-sender", channel_interval=0))
            worker.tracker.close()


@pytest.fixture
def github_world(database_url: str) -> Iterator[World]:
    with FakeGitHub() as github:
        settings = GitHubSettings(repo=github.repo, api_url=github.base_url)
        client = GitHubTracker(settings, github.token)
        client.api.client.timeout = CLIENT_TIMEOUT
        yield from _world(database_url, github, BugTrackerConfig(kind="github", github=settings), client)


@pytest.fixture
def jira_world(database_url: str) -> Iterator[World]:
    with FakeJira(page_size=1) as jira:
        settings = JiraSettings(site=jira.base_url, project_key=jira.project)
        client = JiraTracker(settings, jira.email, jira.token)
        client.api.client.timeout = CLIENT_TIMEOUT
        yield from _world(database_url, jira, BugTrackerConfig(kind="jira", jira=settings), client)


# ---- the same desk served over signed HTTP (Slack's side and the tracker's webhooks) ------------
@dataclass
class ServedDesk:
    desk: Any  # tests.slack_e2e.conftest.Desk
    world: World
    url: str  # the bot's server: /slack/events and /webhooks/*

    def webhook(self, path: str, raw: bytes, headers: dict[str, str]) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", content=raw, headers=headers, timeout=5)


def _served(world: World) -> Iterator[ServedDesk]:
    from bot.offline.harness import serve_offline
    from tests.slack_e2e.conftest import SECRET, USERS, Desk

    for user, locale in USERS.items():
        world.slack.add_user(user, real_name=user.lower(), locale=locale)
        world.ctx.languages.slack_locale(user)
    with serve_offline(world.ctx, world.slack, signing_secret=SECRET, tracker_secret=WEBHOOK_SECRET) as bot:
        desk = Desk(slack=world.slack, sim=bot.sim, ctx=world.ctx, clock=world.clock)  # type: ignore[arg-type]
        yield ServedDesk(desk=desk, world=world, url=bot.url)


@pytest.fixture
def github_desk(github_world: World) -> Iterator[ServedDesk]:
    yield from _served(github_world)


@pytest.fixture
def jira_desk(jira_world: World) -> Iterator[ServedDesk]:
    yield from _served(jira_world)
