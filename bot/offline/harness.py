"""One wiring of the real bot against the offline Slack, for the demo, the end-to-end
tests and the benchmarks: configuration + database URL + a `FakeSlack` + a clock give the
production `BotContext` (``build_context``, with only Slack and time faked), and, served
on loopback, the real Bolt app and a `SlackClientSimulator` signing requests to it.

Each caller keeps only its own specifics (its users, its seed data, its assertions).
Nothing here reads the process environment: SLACK_* or DATABASE_URL set in the shell
must never send the demo or a test to a real workspace or database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.app import build_app
from bot.context import BotContext, Clock, system_clock
from bot.offline.fake_slack import FakeSlack
from bot.offline.loopback import serve_wsgi
from bot.offline.signed_requests import SlackClientSimulator
from bot.runtime import build_context
from bot.server import AstreinteWSGI
from bot.settings import Environment
from bot.slack_client import close_client
from sla_core.config import AppConfig

if TYPE_CHECKING:
    from slack_sdk import WebClient

BOT_TOKEN = "xoxb-offline"
SIGNING_SECRET = "astreinte-offline-signing-secret"
EVENTS_PATH = "/slack/events"


@dataclass(frozen=True, kw_only=True)
class OfflineBot:
    """The served bot: its context, the fake it talks to, its URL and Slack's side of it."""

    ctx: BotContext
    slack: FakeSlack
    url: str  # "http://127.0.0.1:PORT", no trailing slash
    sim: SlackClientSimulator


@contextmanager
def offline_context(config: AppConfig, database_url: str, slack: FakeSlack, *, clock: Clock = system_clock,
                    bot_token: str = BOT_TOKEN, sync_accounts: bool = False,
                    client: WebClient | None = None) -> Iterator[BotContext]:
    """The production context on an up-to-date database, calling ``slack`` (already
    serving). The account directory is seeded from ``config`` as ``astreinte serve`` does
    at start-up. ``client``: a Web API client of the caller's own, pointed at
    ``slack``, when the production one (kept-alive, 429 and 5xx retried) is not what is
    tested. A database still at an older revision is refused, as in production: a caller
    that needs old rows writes them first, then migrates, then wires.
    On exit: background work after acks stopped, connections closed."""
    env = Environment(bot_token=bot_token, api_url=slack.base_url, database_url=database_url)
    ctx = build_context(env, config, clock=clock, prepare=sync_accounts, client=client)
    try:
        yield ctx
    finally:
        ctx.after_ack.shutdown()
        close_client(ctx.client)
        ctx.engine.dispose()


@contextmanager
def serve_offline(ctx: BotContext, slack: FakeSlack, *, signing_secret: str = SIGNING_SECRET,
                  **simulator: Any) -> Iterator[OfflineBot]:
    """The real app (``build_app`` behind ``AstreinteWSGI``, as gunicorn serves it) on
    loopback; ``simulator``: `SlackClientSimulator` options (team_id, user_id…)."""
    app = build_app(ctx, signing_secret=signing_secret)
    with serve_wsgi(AstreinteWSGI(app, health=lambda: (True, {}))) as url:
        sim = SlackClientSimulator(url + EVENTS_PATH, signing_secret, response_url_factory=slack.response_url,
                                   **simulator)
        yield OfflineBot(ctx=ctx, slack=slack, url=url, sim=sim)


@contextmanager
def offline_bot(config: AppConfig, database_url: str, slack: FakeSlack, *, clock: Clock = system_clock,
                signing_secret: str = SIGNING_SECRET, sync_accounts: bool = False) -> Iterator[OfflineBot]:
    """`offline_context` then `serve_offline`, for callers with nothing to do in between."""
    with ExitStack() as stack:
        ctx = stack.enter_context(offline_context(config, database_url, slack, clock=clock,
                                                  sync_accounts=sync_accounts))
        yield stack.enter_context(serve_offline(ctx, slack, signing_secret=signing_secret))
