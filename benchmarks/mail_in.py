"""What receiving mail costs: mails handed over LMTP on loopback (smtplib.LMTP → aiosmtpd →
parse, decide, record, act) into a migrated SQLite file, one connection per mail as
Postfix opens them by default.

    .venv/bin/python benchmarks/mail_in.py [--count 100] [--database URL]

Three streams: new tickets from a known administrator (the ticket intake, its outbox rows
and the thread's notice in one transaction), answers owed to strangers (one row each),
and auto-replies (recorded, nothing else). Prints mails per second and the median and
95th percentile of one delivery, as the sending MTA waits for it; and the parser alone on
a 1 MB mail with attachments."""

from __future__ import annotations

import argparse
import smtplib
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from bot.mail.desk import mail_desk
from bot.mail.lmtp import LmtpServer, MailInHandler
from sla_core.config import load_config
from sla_core.email.incoming import parse_mail
from sla_core.persistence.engine import make_engine
from sla_core.persistence.migrate import upgrade_database

REPO = Path(__file__).resolve().parents[1]


def _mail(sender: str, subject: str, n: int, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@trackforce.com"
    message["Subject"] = subject
    message["Message-ID"] = f"<bench-{sender}-{n}@example.com>"
    message.set_content("Since 9:00 nobody can log in.\n\nOn Mon, Support wrote:\n> earlier text\n" * 3)
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    return message.as_bytes().replace(b"\n", b"\r\n")


STREAMS = {
    "new tickets (administrator)": lambda n: ("alice@acme.example", _mail("alice@acme.example", "[Critical] down", n)),
    "strangers (answer owed)": lambda n: (f"s{n}@elsewhere.example",
                                          _mail(f"s{n}@elsewhere.example", "Hello", n)),
    "auto-replies (ignored)": lambda n: ("alice@acme.example",
                                         _mail("alice@acme.example", "Away", n, Auto_Submitted="auto-replied")),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    config = load_config(REPO / "app.yaml")
    # No rate limit here: we measure the work, not the limit.
    from dataclasses import replace

    from sla_core.config.mail_in import RateLimit
    config = replace(config, mail_in=replace(config.mail_in, rate_limit=RateLimit(count=10 ** 9,
                                                                                  period=timedelta(hours=1))))
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database or f"sqlite:///{scratch}/bench.sqlite3"
        upgrade_database(url)
        engine = make_engine(url)
        clock = [datetime(2026, 11, 24, 9, tzinfo=UTC)]
        desk = mail_desk(config, engine, now=clock[0])
        server = LmtpServer(MailInHandler(desk, clock=lambda: clock[0]), host="127.0.0.1", port=0,
                            max_size=config.mail_in.max_size)
        port = server.start()
        try:
            for name, make in STREAMS.items():
                times = []
                started = time.perf_counter()
                for n in range(args.count):
                    sender, raw = make(n)
                    clock[0] += timedelta(seconds=1)
                    t0 = time.perf_counter()
                    with smtplib.LMTP("127.0.0.1", port) as client:
                        client.sendmail(sender, ["support@trackforce.com"], raw)
                    times.append(time.perf_counter() - t0)
                total = time.perf_counter() - started
                times.sort()
                print(f"{name:30} {args.count / total:7.1f} mails/s   median {1000 * statistics.median(times):6.1f} ms"
                      f"   p95 {1000 * times[int(0.95 * len(times)) - 1]:6.1f} ms")
        finally:
            server.stop()
            engine.dispose()
    big = EmailMessage()
    big["From"] = "alice@acme.example"
    big["Subject"] = "logs"
    big.set_content("See attached.\n" * 50)
    for i in range(4):
        big.add_attachment(b"\0" * 250_000, maintype="application", subtype="octet-stream", filename=f"log{i}.bin")
    raw = big.as_bytes()
    runs = []
    for _ in range(20):
        t0 = time.perf_counter()
        parse_mail(raw)
        runs.append(time.perf_counter() - t0)
    print(f"parse a {len(raw) / 1e6:.1f} MB mail with 4 attachments: best {1000 * min(runs):.1f} ms, "
          f"median {1000 * statistics.median(runs):.1f} ms")


if __name__ == "__main__":
    main()
