"""The served app as an attacker, a fuzzer and a slow Slack meet it.

``Door`` serves the real app (``build_app`` behind ``AstreinteWSGI``, as gunicorn does)
on loopback, over SQLite or PostgreSQL, against the recording FaultySlack. Besides the
well-formed requests of ``SlackClientSimulator`` it sends any bytes with any headers,
signed or not, and it can photograph the database, to show that a refused request
changed nothing. Two acme tickets exist from the start: what forged buttons and
forged ``private_metadata`` point at."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import MetaData, select

from bot.context import BotContext
from bot.offline import SlackClientSimulator, payloads
from bot.offline.harness import offline_context, serve_offline
from tests.doubles.faulty_slack import FaultySlack
from sla_core.config import load_config
from sla_core.tickets import TicketForm, service

REPO = Path(__file__).resolve().parents[2]
SECRET = "hostile-signing-secret"
ADMIN, END_USER, OUTSIDER, AGENT = "U0ACMEADM", "U0ACMEUSR", "U0GLOBADM", "U0AGENT01"
STRANGER = "U0STRANGR"  # in no account, no role: unknown to Slack as well
LOCALES = {ADMIN: "en-US", END_USER: "en-US", OUTSIDER: "en-US", AGENT: "en-US"}
# A record of the requests seen, not state: Slack's event ids, kept to drop its retries.
NOT_STATE = {"alembic_version", "seen_slack_events"}


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Door:
    url: str
    slack: FaultySlack
    ctx: BotContext
    sim: SlackClientSimulator
    tickets: tuple[str, ...]

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    def post(self, body: str | bytes, *, content_type: str = "application/x-www-form-urlencoded",
             headers: Mapping[str, str] | None = None, signed: bool = True) -> Answer:
        """POST ``body`` as is; ``signed`` adds Slack's headers for it (``headers`` win)."""
        raw = body.encode() if isinstance(body, str) else body
        sent = {"Content-Type": content_type}
        if signed:
            ts = str(int(time.time()))
            sent["X-Slack-Request-Timestamp"] = ts
            sent["X-Slack-Signature"] = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=raw) or ""
        sent.update(headers or {})
        return send(self.events_url, raw, sent)

    def form(self, fields: Mapping[str, str], **kwargs: Any) -> Answer:
        return self.post(urlencode(fields), **kwargs)

    def command_fields(self, user: str, text: str = "") -> dict[str, str]:
        """The form of ``/incident <text>`` typed by ``user``."""
        return payloads.slash_command(command="/incident", text=text, user_id=user, channel_id="C0ASTRE1",
                                      team_id="T0ASTRE1", api_app_id="A0ASTAPP",
                                      response_url=self.slack.response_url("command"),
                                      trigger_id=payloads.new_trigger_id())

    def interaction(self, payload: Any, **kwargs: Any) -> Answer:
        return self.form({"payload": json.dumps(payload)}, **kwargs)

    def healthz(self) -> int:
        with urllib.request.urlopen(self.url + "/healthz", timeout=5) as answer:
            return int(answer.status)

    def snapshot(self) -> dict[str, list[str]]:
        """Every row of every table that holds state, as sorted text: equal before and
        after means nothing changed."""
        metadata = MetaData()
        metadata.reflect(self.ctx.engine)
        with self.ctx.engine.connect() as conn:
            return {name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
                    for name, table in metadata.tables.items() if name not in NOT_STATE}


def send(url: str, raw: bytes, headers: Mapping[str, str], timeout: float = 10.0) -> Answer:
    request = urllib.request.Request(url, data=raw, headers=dict(headers), method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Answer(answer.status, answer.read().decode("utf-8", "replace"), time.monotonic() - started)
    except HTTPError as error:
        with error:
            return Answer(error.code, error.read().decode("utf-8", "replace"), time.monotonic() - started)


def open_acme_ticket(ctx: BotContext, title: str) -> str:
    form = TicketForm(title=title, description="Payments fail for every cashier.", category="incident",
                      product_version="5.2", language="en", contact_channel="phone",
                      contact_phone="+33 6 12 34 56 78", severity="important", affected_users="all 300 cashiers")
    return service.open_ticket(ctx.uow(), policy=ctx.policy, support=ctx.support, reporter_id=ADMIN, form=form,
                               idempotency_key=title, now=ctx.now()).ref


@pytest.fixture
def door(database_url: str) -> Iterator[Door]:
    with FaultySlack() as slack:
        for user, locale in LOCALES.items():
            slack.add_user(user, real_name=user.lower(), locale=locale)
        with offline_context(load_config(REPO / "app.yaml"), database_url, slack) as ctx:
            tickets = (open_acme_ticket(ctx, "Checkout down"), open_acme_ticket(ctx, "Reports slow"))
            with serve_offline(ctx, slack, signing_secret=SECRET) as bot:
                slack.reset()  # from here on, every call to Slack is the requests' doing
                yield Door(url=bot.url, slack=slack, ctx=ctx, sim=bot.sim, tickets=tickets)
