"""The desk with ticket mail turned on, against a real SMTP peer on loopback (aiosmtpd)
that a test can make accept, refuse (550), stall (421) or disappear and come back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.delivery import Sender
from bot.offline.clock import SettableClock
from bot.offline.harness import offline_context, serve_offline
from sla_core.config import config_from_mapping
from tests.doubles.faulty_slack import FaultySlack
from tests.slack_e2e.conftest import ADMIN, HOLDER, SECRET, T0, USERS, Desk

REPO = Path(__file__).resolve().parents[2]
LINK_SECRET = "a-test-key-for-resolution-links-0123456789"
PUBLIC_URL = "https://support-bot.example.com"
EMAILS = {ADMIN: "alice.admin@acme.example", HOLDER: "herve.titulaire@acme.example"}


@dataclass
class SmtpPeer:
    """What the mail server does with the next mails: ``accept``, ``refuse`` (550 at RCPT),
    ``busy`` (421 at RCPT)."""

    host: str
    port: int
    mode: str = "accept"
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)
    controller: Any = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.mode == "refuse":
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if self.mode == "busy":
            return "421 4.3.2 Service not available, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(list(envelope.rcpt_tos))
        self.received.append(message_from_bytes(envelope.original_content or envelope.content,
                                                policy=policy.default))  # type: ignore[arg-type]
        return "250 2.0.0 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[SmtpPeer]:
    peer = SmtpPeer(host="127.0.0.1", port=free_port())
    peer.start()
    try:
        yield peer
    finally:
        peer.stop()


def mail_config(port: int, *, by_severity: dict[str, list[str]] | None = None) -> Any:
    raw = yaml.safe_load((REPO / "app.yaml").read_text(encoding="utf-8"))
    raw["email"].update(host="127.0.0.1", port=port, timeout_seconds=5,
                        reporters={"enabled": True, "public_url": PUBLIC_URL, "link_valid_for": "7 days"})
    if by_severity is not None:
        raw["contact"]["by_severity"] = by_severity
    return config_from_mapping(raw)


@dataclass
class MailDesk(Desk):
    url: str = ""
    sender: Sender | None = None

    def deliver(self) -> None:
        assert self.sender is not None
        while self.sender.run_once():
            pass


# Critical reporters prefer the phone here: only those who chose e-mail get mail; Low lists it.
BY_SEVERITY = {"critical": ["phone"], "important": ["phone"], "low": ["portal", "email"], "none": ["portal"]}


@pytest.fixture
def mail_desk(database_url: str, smtp: SmtpPeer, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailDesk]:
    """The real app on loopback (SQLite and PostgreSQL), ticket mail on, a sender."""
    monkeypatch.setenv("ASTREINTE_LINK_SECRET", LINK_SECRET)
    clock = SettableClock(T0)
    with FaultySlack() as slack:
        for user, locale in USERS.items():
            slack.add_user(user, real_name=user.lower(), locale=locale, email=EMAILS.get(user, ""))
        with offline_context(mail_config(smtp.port, by_severity=BY_SEVERITY), database_url, slack,
                             clock=clock) as ctx:
            for user in USERS:
                ctx.languages.slack_locale(user)
            slack.reset()
            with serve_offline(ctx, slack, signing_secret=SECRET) as bot:
                desk = MailDesk(slack=slack, sim=bot.sim, ctx=ctx, clock=clock, url=bot.url)
                desk.sender = Sender(ctx, "test-sender", channel_interval=0)
                yield desk
