"""The demo's stage: the real app on loopback, between a recording ``FakeSlack`` and a
``SlackClientSimulator``, on a SQLite file and a simulated clock, wired by
``bot.offline.harness`` as the end-to-end tests are (production wiring, only Slack and
time faked). Its world also has a GitHub repository (``bot.offline.demo_github``) for the
bugs the agent files, and a mail server (``bot.offline.demo_smtp``) holding the reporter's
ticket mail: both on loopback, turned on in the demo's configuration only."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.context import BotContext
from bot.delivery import Sender
from bot.scheduling import tick_once
from bot.offline import FakeSlack, PostedMessage, SimulatedResponse, SlackClientSimulator
from bot.offline import payloads
from bot.offline.clock import SettableClock
from bot.offline.demo_github import DemoGitHub
from bot.offline.demo_smtp import Mailbox, smtp_receiver
from bot.offline.harness import offline_bot
from bot.offline.loopback import serve_wsgi
from bot.trackers.github import GitHubTracker
from bot.trackers.worker import TrackerWorker
from sla_core.errors import AstreinteError
from sla_core.persistence.migrate import upgrade_database
from sla_core.config import AppConfig
from sla_core.config.bug_tracker import BugTrackerConfig, GitHubSettings

SIGNING_SECRET = "astreinte-demo-signing-secret"
TRACKER_SECRET = "astreinte-demo-webhook-secret"  # the repository's webhook and the bot share it
WEBHOOK_PATH = "/webhooks/github"
LOCALES = {"en": "en-GB", "fr": "fr-FR"}
# Modal blocks whose value is an option of a static select (the rest are text inputs).
SELECT_TYPES = frozenset({"static_select", "external_select"})
MAX_SENDER_PASSES = 50  # far above what one instant queues; stops a bug from spinning forever


class DemoError(AstreinteError):
    """The story could not go on: the app refused a step or Slack never showed a view."""


@dataclass(frozen=True, kw_only=True)
class Person:
    user_id: str
    real_name: str
    role: str  # a key of demo.role.* in messages/*/demo.yaml
    email: str = ""  # of their Slack profile: where ticket mail goes

    @property
    def handle(self) -> str:
        """The Slack handle users.info gives on the fake (and the @name of mentions)."""
        return self.real_name.lower().replace(" ", ".")


@dataclass
class Stage:
    slack: FakeSlack
    sim: SlackClientSimulator
    ctx: BotContext
    clock: SettableClock
    sender: Sender
    database: Path
    language: str
    tracker: DemoGitHub
    tracker_worker: TrackerWorker
    mailbox: Mailbox
    url: str  # the bot's server, on loopback
    people: Mapping[str, Person] = field(default_factory=dict)

    # ----- time -------------------------------------------------------------------------
    def at(self, instant: datetime) -> None:
        self.clock.now = instant

    def tick(self) -> None:
        """One scheduler pass at the current instant, then deliver what it queued."""
        tick_once(self.ctx)
        self.deliver()

    def deliver(self) -> None:
        """Let the tracker's worker and the sender empty the outbox of what is ready now
        (no pacing): a filed bug's issue, then what its recording tells Slack."""
        for _ in range(MAX_SENDER_PASSES):
            worked = self.tracker_worker.run_once()
            if not self.sender.run_once() and not worked:
                return
        raise DemoError(f"the outbox was still busy after {MAX_SENDER_PASSES} sender passes")

    # ----- what people do in Slack ----------------------------------------------------------
    def open_incident(self, user: str) -> dict[str, Any]:
        """``/incident`` with no text: the app acks and opens the intake modal."""
        before = len(self.slack.views_opened())
        self._ok(self.sim.slash_command("/incident", "", user_id=user), "/incident")
        return self._next_view(before, "/incident")

    def submit(self, view: Mapping[str, Any], user: str, values: Mapping[str, str]) -> dict[str, Any]:
        """Submit ``view`` as opened on the fake, filled with ``values``; the app's answer."""
        selects = {b.get("block_id") for b in view["blocks"] if (b.get("element") or {}).get("type") in SELECT_TYPES}
        state = {block: {"value": payloads.selected_option(v) if block in selects else v}
                 for block, v in values.items()}
        modal = payloads.modal_view(callback_id=view["callback_id"], team_id=self.sim.team_id,
                                    api_app_id=self.sim.api_app_id, values=state,
                                    private_metadata=view.get("private_metadata", ""), view_id=view["id"],
                                    blocks=view["blocks"])
        body = payloads.view_submission(view=modal, user_id=user, team_id=self.sim.team_id,
                                        api_app_id=self.sim.api_app_id, trigger_id=payloads.new_trigger_id())
        response = self._ok(self.sim.send_interaction(body), view["callback_id"])
        answer = response.body if isinstance(response.body, dict) else {}
        if answer.get("response_action") == "errors":
            raise DemoError(f"{view['callback_id']} refused: {answer.get('errors')}")
        return answer

    def press(self, user: str, message: PostedMessage, action_id: str) -> SimulatedResponse:
        """Click the button ``action_id`` of ``message`` as it stands in the fake."""
        button = find_button(message, action_id)
        response = self.sim.block_action(action_id, value=str(button.get("value", "")), user_id=user,
                                         block_id=str(button.get("_block_id", "actions")),
                                         message={"ts": message.ts, "text": message.text}, channel_id=message.channel)
        return self._ok(response, action_id)

    def press_and_fill(self, user: str, message: PostedMessage, action_id: str,
                       values: Mapping[str, str], *, keep_prefilled: bool = False) -> dict[str, Any]:
        """Click a button that opens a modal, then submit the modal; ``keep_prefilled``:
        with what the app prefilled it with, ``values`` changing only what they name."""
        before = len(self.slack.views_opened())
        self.press(user, message, action_id)
        view = self._next_view(before, action_id)
        filled = {**prefilled(view), **values} if keep_prefilled else values
        return self.submit(view, user, filled)

    def webhook(self, raw: bytes, headers: Mapping[str, str]) -> dict[str, Any]:
        """The tracker's delivery to the bot's webhook endpoint; the bot's JSON answer."""
        import httpx  # the bot's own HTTP client (its tracker calls); only act two needs it here

        response = httpx.post(self.url + WEBHOOK_PATH, content=raw, headers=dict(headers), timeout=10)
        if response.status_code not in (200, 202):
            raise DemoError(f"{WEBHOOK_PATH}: the app answered HTTP {response.status_code}: {response.text}")
        answer: dict[str, Any] = response.json()
        return answer

    # ----- reading the fake -----------------------------------------------------------------
    def root_post(self, channel: str) -> PostedMessage:
        roots = [m for m in self.slack.messages(channel) if not m.is_reply]
        if not roots:
            raise DemoError(f"no root post in {channel}")
        return roots[0]

    def last_with(self, channel: str, action_id: str) -> PostedMessage:
        """The latest message of ``channel`` (threads included) offering ``action_id``."""
        for message in reversed(self.slack.messages(channel)):
            if any(b.get("action_id") == action_id for b in _buttons(message)):
                return message
        raise DemoError(f"no message in {channel} offers {action_id}")

    def last_dm_with(self, user: str, action_id: str) -> PostedMessage:
        for message in reversed(self.slack.dm(user)):
            if any(b.get("action_id") == action_id for b in _buttons(message)):
                return message
        raise DemoError(f"no DM to {user} offers {action_id}")

    def _next_view(self, before: int, what: str) -> dict[str, Any]:
        try:
            return self.slack.wait_for(lambda: self.slack.views_opened()[before:] and self.slack.views_opened()[-1])
        except TimeoutError as exc:
            raise DemoError(f"{what}: no modal opened ({exc})") from exc

    def _ok(self, response: SimulatedResponse, what: str) -> SimulatedResponse:
        if response.status != 200:
            raise DemoError(f"{what}: the app answered HTTP {response.status}: {response.body!r}")
        return response


def _buttons(message: PostedMessage) -> Iterator[dict[str, Any]]:
    for block in message.blocks or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                yield {**element, "_block_id": block.get("block_id", "actions")}


def prefilled(view: Mapping[str, Any]) -> dict[str, str]:
    """What a modal's text inputs hold when it opens (the app's prefill)."""
    return {b["block_id"]: b["element"]["initial_value"] for b in view.get("blocks") or []
            if b.get("type") == "input" and (b.get("element") or {}).get("initial_value") is not None}


def find_button(message: PostedMessage, action_id: str) -> dict[str, Any]:
    for button in _buttons(message):
        if button.get("action_id") == action_id:
            return button
    offered = [b.get("action_id") for b in _buttons(message)]
    raise DemoError(f"the message offers no {action_id} button (only {offered})")


def config_in(language: str, config: AppConfig) -> AppConfig:
    """``config`` with channels that speak ``language``."""
    return replace(config, slack=replace(config.slack, default_language=language))


def demo_world(config: AppConfig, *, tracker_url: str, repo: str, smtp_port: int) -> AppConfig:
    """``config`` with the demo's world switched on: bugs filed in its GitHub stand-in, and
    ticket mail to reporters through its mail server (no accept/reject links: the demo has
    no public address). Only the demo's copy changes; app.yaml's defaults stay off."""
    email = config.email
    email = replace(email, host="127.0.0.1", port=smtp_port, starttls=False, username=None,
                    reporters=replace(email.reporters, enabled=True, public_url=None))
    return replace(config, bug_tracker=BugTrackerConfig(kind="github", github=GitHubSettings(repo=repo, api_url=tracker_url)),
                   service_levels=replace(config.service_levels, email=email))


@contextmanager
def open_stage(*, config: AppConfig, language: str, start: datetime, people: Mapping[str, Person],
               keep_db: Path | None = None) -> Iterator[Stage]:
    """Everything up and wired; torn down (and the temporary database deleted) on exit."""
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="astreinte-demo-")))
        database = keep_db.resolve() if keep_db is not None else workdir / "astreinte-demo.db"
        if keep_db is not None and database.exists():
            raise DemoError(f"--keep-db {keep_db}: the file exists; give a new path")
        url = f"sqlite:///{database}"
        upgrade_database(url)
        slack = stack.enter_context(FakeSlack())
        for person in people.values():
            slack.add_user(person.user_id, real_name=person.real_name, locale=LOCALES[language], email=person.email)
        clock = SettableClock(start)
        github = DemoGitHub(clock)
        github_url = stack.enter_context(serve_wsgi(github))
        smtp_port, mailbox = stack.enter_context(smtp_receiver())
        world = demo_world(config_in(language, config), tracker_url=github_url, repo=github.repo, smtp_port=smtp_port)
        bot = stack.enter_context(offline_bot(world, url, slack, clock=clock, signing_secret=SIGNING_SECRET,
                                              tracker_secret=TRACKER_SECRET, sync_accounts=True))
        assert world.bug_tracker.github is not None
        client = GitHubTracker(world.bug_tracker.github, github.token)
        stack.callback(client.close)
        tracker_worker = TrackerWorker(bot.ctx, client, "astreinte-demo-trackers")
        sender = Sender(bot.ctx, "astreinte-demo", channel_interval=0)
        yield Stage(slack=slack, sim=bot.sim, ctx=bot.ctx, clock=clock, sender=sender, database=database,
                    language=language, tracker=github, tracker_worker=tracker_worker, mailbox=mailbox, url=bot.url,
                    people=people)
