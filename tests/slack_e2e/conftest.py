"""The real app on loopback against FaultySlack, driven by signed requests.

``Desk`` wires a ``BotContext`` exactly as production does (app.yaml's policy, support
and Slack wiring; a migrated SQLite file; a WebClient pointed at the fake; a settable
clock) and offers the few moves a user makes, so each test reads as a story."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.context import BotContext
from bot.delivery.sender import Sender
from bot.offline import SimulatedResponse, SlackClientSimulator
from tests.doubles.faulty_slack import FaultySlack
from bot.offline import payloads
from bot.offline.clock import SettableClock
from bot.offline.harness import offline_context, serve_offline
from sla_core.persistence.migrate import upgrade_database
from sla_core.config import load_config
from sla_core.tickets import TicketView, get_ticket

REPO = Path(__file__).resolve().parents[2]
SECRET = "e2e-signing-secret"
PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 11, 20, 19, 30, tzinfo=PARIS)  # a Friday evening, out of business hours

AGENT, AGENT2, LEAD = "U0AGENT01", "U0AGENT02", "U0LEAD001"
ADMIN, HOLDER, END_USER, INACTIVE_ADMIN = "U0ACMEADM", "U0ACMEHLD", "U0ACMEUSR", "U0GLOBADM"
USERS = {AGENT: "en-US", AGENT2: "fr-FR", LEAD: "en-GB", ADMIN: "en-US", HOLDER: "fr-FR", END_USER: "en-US",
         INACTIVE_ADMIN: "en-US"}
FAST = 3.0  # seconds: Slack's limit for every answer (speed itself is measured in benchmarks/)


GOOD_FORM: dict[str, str] = {
    "title": "Login page returns 500", "description": "Since 19:10 every login fails.", "category": "incident",
    "severity": "critical", "affected_users": "all 300", "product_version": "5.2", "contact_channel": "phone",
    "contact_phone": "+33 6 12 34 56 78", "language": "en", "code_sample": "",
}
SELECTS = {"category", "severity", "product_version", "contact_channel", "language", "account", "channel", "kind",
           "then"}


@dataclass
class Desk:
    slack: FaultySlack
    sim: SlackClientSimulator
    ctx: BotContext
    clock: SettableClock
    timings: list[float] = field(default_factory=list)

    # ----- timing: every request goes through here ----------------------------------------
    def timed(self, send: Any, *args: Any, **kwargs: Any) -> SimulatedResponse:
        started = time.monotonic()
        response = send(*args, **kwargs)
        self.timings.append(time.monotonic() - started)
        return response

    # ----- what users do ---------------------------------------------------------------------
    def command(self, user: str, text: str = "") -> SimulatedResponse:
        return self.timed(self.sim.slash_command, "/incident", text, user_id=user)

    def refused_incident(self, user: str) -> str:
        """A bare ``/incident`` by ``user``, acked at once and then refused: the text
        posted ephemerally through its response_url."""
        response = self.command(user)
        assert response.status == 200 and not response.body  # the ack itself says nothing
        answers = self.slack.wait_for(lambda: self.slack.responses(response.response_url_name or ""))
        assert len(answers) == 1 and answers[0].response_type == "ephemeral"
        return str(answers[0].body["text"])

    def open_incident(self, user: str) -> dict[str, Any]:
        before = len(self.slack.views_opened())
        response = self.command(user)
        assert response.status == 200
        return self.wait_for_view(before)

    def wait_for_view(self, before: int) -> dict[str, Any]:
        return self.slack.wait_for(lambda: self.slack.views_opened()[before:] and self.slack.views_opened()[-1])

    def submit(self, view: Mapping[str, Any], user: str, values: Mapping[str, str | None],
               view_id: str | None = None) -> SimulatedResponse:
        """Submit ``view`` (as opened on the fake, its blocks included) with ``values``."""
        state = {block: {"value": payloads.selected_option(v) if block in SELECTS and v else v}
                 for block, v in values.items()}
        modal = payloads.modal_view(callback_id=view["callback_id"], team_id=self.sim.team_id,
                                    api_app_id=self.sim.api_app_id, values=state,
                                    private_metadata=view.get("private_metadata", ""),
                                    view_id=view_id or view["id"], blocks=view["blocks"])
        body = payloads.view_submission(view=modal, user_id=user, team_id=self.sim.team_id,
                                        api_app_id=self.sim.api_app_id, trigger_id=payloads.new_trigger_id())
        return self.timed(self.sim.send_interaction, body)

    def report(self, user: str = ADMIN, **changes: str) -> TicketView:
        """A reporter opens a ticket through the modal; returns it as stored."""
        view = self.open_incident(user)
        response = self.submit(view, user, {**GOOD_FORM, **changes})
        assert response.body["response_action"] == "update", response.body
        return self.ticket(response.body["view"]["private_metadata"])

    def click(self, user: str, action_id: str, ref: str) -> SimulatedResponse:
        return self.timed(self.sim.block_action, action_id, value=ref, user_id=user,
                          message={"ts": "1700000000.000100", "text": "root"}, channel_id="C0SUPCRIT")

    def act(self, user: str, action_id: str, ref: str, values: Mapping[str, str]) -> SimulatedResponse:
        """Press a button that opens a modal, then submit the modal."""
        before = len(self.slack.views_opened())
        assert self.click(user, action_id, ref).status == 200
        return self.submit(self.wait_for_view(before), user, values)

    def home_opened(self, user: str, **kwargs: Any) -> SimulatedResponse:
        return self.timed(self.sim.app_home_opened, user_id=user, **kwargs)

    def ticket(self, ref: str) -> TicketView:
        return get_ticket(self.ctx.uow(), policy=self.ctx.policy, ticket_ref=ref, now=self.clock())

    def ephemeral_answers(self, name: str | None) -> list[str]:
        return [p.body.get("text", "") for p in self.slack.responses(name or "")]


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    url = f"sqlite:///{tmp_path / 'astreinte.db'}"
    upgrade_database(url)
    yield from _desk(url)


@pytest.fixture
def desk_on(database_url: str) -> Iterator[Desk]:
    """A desk on each backend of ``tests.conftest_db`` (SQLite file, PostgreSQL schema)."""
    yield from _desk(database_url)


def _desk(url: str) -> Iterator[Desk]:
    clock = SettableClock(T0)
    with FaultySlack() as slack:
        for user, locale in USERS.items():
            slack.add_user(user, real_name=user.lower(), locale=locale)
        with offline_context(load_config(REPO / "app.yaml"), url, slack, clock=clock) as ctx:
            # These people have used the bot before: their Slack locale is known. (An ack never
            # waits on users.info; a user seen for the first time gets the default language
            # there, and theirs once it was looked up after that first answer: tests/hostile.)
            for user in USERS:
                ctx.languages.slack_locale(user)
            slack.reset()
            with serve_offline(ctx, slack, signing_secret=SECRET) as bot:
                d = Desk(slack=slack, sim=bot.sim, ctx=ctx, clock=clock)
                yield d
                assert max(d.timings, default=0) < FAST, f"slowest answer took {max(d.timings):.2f}s"


def blocks_text(view: Mapping[str, Any]) -> str:
    """Every text of a view, for assertions about what the user reads."""
    return json.dumps(view.get("blocks", []), ensure_ascii=False)


@pytest.fixture
def sender(desk: Desk) -> Sender:
    """A sender for ``desk``, posting without pacing (tests deliver with ``deliver``)."""
    return Sender(desk.ctx, "test-sender", channel_interval=0)


def deliver(sender: Sender) -> None:
    """Everything the outbox holds, posted to the fake Slack."""
    while sender.run_once():
        pass


def buttons(message: Any) -> list[str]:
    """The action ids of a message's button rows, in order."""
    return [e["action_id"] for b in message.blocks or [] if b.get("type") == "actions" for e in b["elements"]]
