"""The IMAP poller: against Debian's Dovecot started by the test (skipped where it is not
installed), and against the dialogue recorded from it (everywhere)."""

from __future__ import annotations

import imaplib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.mail.imap_poller import ImapPoller
from sla_core.config.mail_in import ImapSettings
from sla_core.email.incoming_service import receive
from tests.mail_in.conftest import MailRoom
from tests.mail_in.imap_samples import MAILBOX
from tests.mail_in.imap_servers import PASSWORD, USER, Dovecot, ReplayServer


def poller(room: MailRoom, port: int) -> ImapPoller:
    settings = ImapSettings(host="127.0.0.1", port=port, tls=False, username=USER)
    return ImapPoller(settings, room.desk, clock=lambda: room.now, environ={settings.password_env: PASSWORD})


def _outcomes(room: MailRoom) -> list[str]:
    return [r.outcome for r in room.records()]


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    if not Dovecot.available():
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd); the recorded dialogue still runs")
    # Not pytest's tmp_path: as root, Dovecot stores mail as its own user, who must reach the directory.
    root = Path(tempfile.mkdtemp(prefix="astreinte-imap-"))
    server = Dovecot(root).start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _mailbox(port: int, name: str) -> list[bytes]:
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login(USER, PASSWORD)
    client.select(f'"{name}"', readonly=True)
    _, data = client.uid("SEARCH", "ALL")
    messages = []
    for uid in (data[0] or b"").split():
        _, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
        messages.append(fetched[0][1])
    client.logout()
    return messages


def test_the_poller_receives_each_mail_then_moves_it_out_of_the_inbox(room: MailRoom, dovecot: Dovecot) -> None:
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    client.login(USER, PASSWORD)
    for raw in MAILBOX:
        client.append("INBOX", None, None, raw)
    client.logout()
    # The first mail was received before, by a pass that stopped before moving it.
    receive(room.desk, MAILBOX[0], via="imap", now=room.now)

    assert poller(room, dovecot.port).poll_once() == 3

    assert _outcomes(room) == ["open_ticket", "answer_sender", "ignore_automatic"]
    assert len(room.tickets()) == 1  # the mail received twice opened one ticket
    assert _mailbox(dovecot.port, "INBOX") == []
    assert [m.replace(b"\r\n", b"\n") for m in _mailbox(dovecot.port, "Processed")] == [
        m.replace(b"\r\n", b"\n") for m in MAILBOX]
    assert poller(room, dovecot.port).poll_once() == 0


def test_a_wrong_password_stops_the_pass_and_leaves_the_mail(room: MailRoom, dovecot: Dovecot) -> None:
    client = imaplib.IMAP4("127.0.0.1", dovecot.port)
    client.login(USER, PASSWORD)
    client.append("INBOX", None, None, MAILBOX[0])
    client.logout()
    wrong = poller(room, dovecot.port)
    wrong.password = "not-it"
    with pytest.raises(imaplib.IMAP4.error):
        wrong.poll_once()
    assert room.records() == [] and len(_mailbox(dovecot.port, "INBOX")) == 1


def test_the_poller_speaks_dovecots_recorded_dialogue(room: MailRoom) -> None:
    server = ReplayServer.from_transcript()
    try:
        assert poller(room, server.port).poll_once() == 3
    finally:
        server.close()
    assert server.mismatch == []
    assert server.commands[-1] == "LOGOUT" and "UID MOVE 3 \"Processed\"" in server.commands
    assert _outcomes(room) == ["open_ticket", "answer_sender", "ignore_automatic"]
    [ticket] = room.tickets()
    assert (ticket.severity, ticket.title) == ("critical", "Checkout is down")
