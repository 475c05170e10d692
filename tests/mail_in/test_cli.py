"""``astreinte mail-in`` as a process (started, fed over LMTP, stopped with SIGTERM) and
``astreinte mail list-failed | show | retry`` on the dead letters."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from sla_core.email.incoming_service import receive
from sla_core.email.models import IncomingMailRow
from sla_core.persistence.engine import make_engine
from tests.mail_in.conftest import SUPPORT, MailRoom, mail

REPO = Path(__file__).resolve().parents[2]
MALFORMED = b"Subject: \x1b[31mred\x1b[0m and no sender\r\n\r\nhello\r\n"


def test_list_failed_shows_each_dead_letter_with_its_reason(room: MailRoom, capsys: pytest.CaptureFixture[str],
                                                            database_url: str) -> None:
    receive(room.desk, MALFORMED, via="lmtp", now=room.now, envelope_sender="x@y.example")
    receive(room.desk, b"From: a@b.example\r\n\r\n" + b"x" * (room.config.mail_in.max_size + 1), via="imap",
            now=room.now)

    assert main(["mail", "list-failed", "--database", database_url]) == 0
    out = capsys.readouterr().out
    assert "#2" in out and "oversized: " in out and "#1" in out and "malformed: no sender address (From)" in out
    assert "\x1b" not in out  # a header's control characters never reach the terminal

    assert main(["mail", "show", "1", "--database", database_url]) == 0
    assert capsys.readouterr().out.encode() == MALFORMED.decode().encode()

    assert main(["mail", "retry", "1", "--database", database_url]) == 1
    assert "#1 failed again, kept as #3" in capsys.readouterr().out
    assert main(["mail", "list-failed", "--database", database_url]) == 0
    listed = capsys.readouterr().out
    assert "#3" in listed and "\n#1 " not in "\n" + listed


def test_retry_of_an_unknown_letter_exits_2_saying_what_to_do(database_url: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mail", "retry", "99", "--database", database_url]) == 2
    assert capsys.readouterr().err.strip() == (
        "astreinte: id: there is no dead letter #99 (`astreinte mail list-failed --all`)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_mail_in_receives_over_lmtp_until_sigterm(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ASTREINTE_", "DATABASE_URL"))},
           "PYTHONPATH": str(REPO)}
    log = tmp_path / "mail-in.log"
    with log.open("wb") as errors:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "mail-in", "--host", "127.0.0.1", "--port",
                                    str(port), "--database", database_url], env=env, cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=errors)
    try:
        deadline = time.monotonic() + 120  # a loaded machine starts Python slowly
        while True:  # ready when it accepts connections
            try:
                client = smtplib.LMTP("127.0.0.1", port)
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "mail-in did not listen within 120 s: " + log.read_text()
                time.sleep(0.1)
        with client:
            assert client.sendmail("alice@acme.example", [SUPPORT], mail().replace(b"\n", b"\r\n")) == {}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(select(IncomingMailRow.outcome)).scalars().all() == ["open_ticket"]
    engine.dispose()
