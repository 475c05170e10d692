"""From a mail to Slack, over the real wires: a mail handed over LMTP opens a ticket whose
root post, thread and reporter's DM the outbox sender then delivers to the (fake) Slack
Web API, exactly as for a ticket opened with /incident."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from bot.delivery import Sender
from bot.mail.desk import mail_desk
from bot.mail.lmtp import LmtpServer, MailInHandler
from tests.mail_in.conftest import SUPPORT
from sla_core.config import load_config
from tests.slack_e2e.conftest import ADMIN, REPO, Desk, _desk

CRITICAL, IMPORTANT = "C0SUPCRIT", "C0SUPIMPT"


@pytest.fixture
def desk(database_url: str) -> Iterator[Desk]:
    yield from _desk(database_url)


@pytest.fixture
def lmtp_port(desk: Desk) -> Iterator[int]:
    config = load_config(REPO / "app.yaml")  # as the desk's context was built
    handler = MailInHandler(mail_desk(config, desk.ctx.engine, now=desk.ctx.now()), clock=desk.ctx.now)
    server = LmtpServer(handler, host="127.0.0.1", port=0, max_size=config.mail_in.max_size)
    yield server.start()
    server.stop()


def _send(port: int, message: EmailMessage) -> None:
    with smtplib.LMTP("127.0.0.1", port) as client:
        client.sendmail(str(message["From"]), [SUPPORT], message.as_bytes().replace(b"\n", b"\r\n"))


def _deliver(desk: Desk) -> None:
    sender = Sender(desk.ctx, "test-sender", channel_interval=0)
    while sender.run_once():
        pass


def test_a_mailed_ticket_reaches_its_channel_thread_and_reporter(desk: Desk, lmtp_port: int) -> None:
    message = EmailMessage()
    message["From"] = "Alice <alice@acme.example>"
    message["Subject"] = "[Critique] Paiement <impossible>"
    message["Message-ID"] = "<slack-1@acme.example>"
    message.set_content("Depuis 19 h, plus aucun paiement.")
    message.add_attachment(b"GIF89a" + b"\0" * 2000, maintype="image", subtype="gif", filename="écran.gif")
    _send(lmtp_port, message)
    _deliver(desk)

    [root] = [m for m in desk.slack.messages(CRITICAL) if m.thread_ts is None]
    assert "Paiement &lt;impossible&gt;" in str(root.blocks)
    thread = [m.text for m in desk.slack.thread(CRITICAL, root.ts)]
    [mail_line] = [t for t in thread if "Reçu par e-mail de alice@acme.example" in t]
    assert "écran.gif (2 Ko)" in mail_line and "a indiqué *Critique* dans l'objet" in mail_line
    assert desk.slack.dm(ADMIN), "the reporter's receipt, in Slack"


def test_an_administrator_without_slack_is_named_by_address_and_sent_no_dm(desk: Desk, lmtp_port: int) -> None:
    message = EmailMessage()
    message["From"] = "holder@acme.example"
    message["Subject"] = "Exports lents"
    message["Message-ID"] = "<slack-2@acme.example>"
    message.set_content("Les exports prennent 10 minutes.")
    _send(lmtp_port, message)
    _deliver(desk)

    [root] = [m for m in desk.slack.messages(IMPORTANT) if m.thread_ts is None]
    assert "holder@acme.example" in str(root.blocks)
    assert not [c for c in desk.slack.calls("conversations.open")]
    thread = [m.text for m in desk.slack.thread(IMPORTANT, root.ts)]
    assert any("Pas de sévérité indiquée dans l'objet" in t for t in thread)
