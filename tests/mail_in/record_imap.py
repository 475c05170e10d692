"""Record the poller's dialogue with a real Dovecot into ``imap_dovecot.json``:

    python -m tests.mail_in.record_imap

Starts Dovecot (Debian's ``dovecot-imapd``) in a temporary directory, puts the sample
mails in its INBOX, runs one poller pass through a recording proxy (against a scratch
SQLite database), and writes every exchange: the greeting, then each client command with
the server's complete answer."""

from __future__ import annotations

import imaplib
import json
import socket
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.mail.desk import mail_desk
from bot.mail.imap_poller import ImapPoller
from sla_core.config import load_config
from sla_core.config.mail_in import ImapSettings
from sla_core.persistence.engine import make_engine
from sla_core.persistence.migrate import upgrade_database
from tests.mail_in.imap_samples import MAILBOX
from tests.mail_in.imap_servers import PASSWORD, TRANSCRIPT, USER, Dovecot, read_response


def record(dovecot_port: int) -> list[dict[str, str | None]]:
    exchanges: list[dict[str, str | None]] = []
    listener = socket.create_server(("127.0.0.1", 0))

    def proxy() -> None:
        client, _ = listener.accept()
        server = socket.create_connection(("127.0.0.1", dovecot_port))
        with client, server, client.makefile("rb") as from_client, server.makefile("rb") as from_server:
            greeting = read_response(from_server, None)
            exchanges.append({"client": None, "server": greeting.decode("latin-1")})
            client.sendall(greeting)
            while True:
                line = from_client.readline()
                if not line:
                    return
                server.sendall(line)
                answer = read_response(from_server, line.split(b" ", 1)[0])
                exchanges.append({"client": line.decode("latin-1").rstrip("\r\n"), "server": answer.decode("latin-1")})
                client.sendall(answer)
                if line.split(b" ")[1:2] == [b"LOGOUT"]:
                    return

    thread = threading.Thread(target=proxy, daemon=True)
    thread.start()
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/record.sqlite3"
        upgrade_database(url)
        config = load_config(Path(__file__).resolve().parents[2] / "app.yaml")
        desk = mail_desk(config, make_engine(url), now=datetime(2026, 11, 24, 9, tzinfo=ZoneInfo("Europe/Paris")))
        settings = ImapSettings(host="127.0.0.1", port=listener.getsockname()[1], tls=False, username=USER)
        ImapPoller(settings, desk, clock=lambda: datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Paris")),
                   environ={settings.password_env: PASSWORD}).poll_once()
    thread.join(timeout=10)
    listener.close()
    return exchanges


def main() -> None:
    with tempfile.TemporaryDirectory() as root:
        dovecot = Dovecot(Path(root)).start()
        try:
            client = imaplib.IMAP4("127.0.0.1", dovecot.port)
            client.login(USER, PASSWORD)
            for raw in MAILBOX:
                client.append("INBOX", None, None, raw)
            client.logout()
            exchanges = record(dovecot.port)
        finally:
            dovecot.stop()
    TRANSCRIPT.write_text(json.dumps({"server": "Dovecot 2.3.19.1 (Debian 12, dovecot-imapd)",
                                      "exchanges": exchanges}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(exchanges)} exchanges written to {TRANSCRIPT}")


if __name__ == "__main__":
    main()
