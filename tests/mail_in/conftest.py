"""Mail-in fixtures: the repository's app.yaml (its accounts know alice@ and holder@acme as
administrators, bob@acme as an end user), a migrated database (SQLite and PostgreSQL), the
LMTP receiver on loopback with a clock the test sets, and a real SMTP server on loopback
that records the answers sent."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from bot.mail.answers import send_pending_answers
from bot.mail.desk import mail_desk
from bot.mail.lmtp import LmtpServer, MailInHandler
from sla_core.config import AppConfig
from sla_core.email.incoming_service import MailDesk
from sla_core.email.models import DeadLetterRow, IncomingMailRow
from sla_core.persistence.engine import make_engine
from sla_core.persistence.models import Ticket, TicketEvent
from sla_core.outbox.models import OutboxRow
from tests.doubles.smtp_peer import smtp_peer_on_loopback

PARIS = ZoneInfo("Europe/Paris")
# A Tuesday in opening hours.
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
SUPPORT = "support@trackforce.com"


@dataclass
class Inbox:
    """What a real SMTP server on loopback received."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelope_senders: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.envelope_senders.append(envelope.mail_from)  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[attr-defined,arg-type]
        return "250 OK"


@pytest.fixture
def smtp_peer() -> Iterator[Inbox]:
    with smtp_peer_on_loopback(Inbox()) as inbox:
        yield inbox


@dataclass
class MailRoom:
    """The receiver on loopback and what it wrote, read back from the database."""

    config: AppConfig
    engine: Engine
    desk: MailDesk
    port: int
    inbox: Inbox
    now: datetime = T0

    def deliver(self, raw: bytes | str, *, mail_from: str = "alice@acme.example") -> dict[str, tuple[int, bytes]]:
        """Hand ``raw`` to the receiver as Postfix would: LMTP, over TCP. Returns the
        refused recipients (smtplib's shape) — empty when accepted."""
        data = raw.encode() if isinstance(raw, str) else raw
        # On the wire, lines end in CRLF (smtplib converts a str's line ends, not bytes').
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        with smtplib.LMTP("127.0.0.1", self.port) as client:
            return client.sendmail(mail_from, [SUPPORT], data)

    def send_answers(self) -> int:
        email = replace(self.config.email, host=self.inbox.host, port=self.inbox.port, sender=SUPPORT)
        return send_pending_answers(self.engine, email=email, directory=self.desk.directory, now=self.now)

    def tickets(self) -> list[Ticket]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(Ticket).order_by(Ticket.id)).all())  # type: ignore[arg-type]

    def events(self, ref: str) -> list[tuple[str, str, dict]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(TicketEvent.type, TicketEvent.actor_id, TicketEvent.payload)
                                .join(Ticket, Ticket.id == TicketEvent.ticket_id)
                                .where(Ticket.ref == ref).order_by(TicketEvent.seq)).all()
        return [(r[0], r[1], dict(r[2])) for r in rows]

    def outbox(self) -> list[tuple[str, str, dict]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(OutboxRow.kind, OutboxRow.audience, OutboxRow.payload)
                                .order_by(OutboxRow.id)).all()
        return [(r[0], r[1], dict(r[2])) for r in rows]

    def records(self) -> list[IncomingMailRow]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(IncomingMailRow).order_by(IncomingMailRow.id)).all())  # type: ignore[arg-type]

    def dead_letters(self) -> list[DeadLetterRow]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(DeadLetterRow).order_by(DeadLetterRow.id)).all())  # type: ignore[arg-type]


def make_room(config: AppConfig, database_url: str, inbox: Inbox) -> Iterator[MailRoom]:
    engine = make_engine(database_url)
    desk = mail_desk(config, engine, now=T0)
    room = MailRoom(config=config, engine=engine, desk=desk, port=0, inbox=inbox)
    server = LmtpServer(MailInHandler(desk, clock=lambda: room.now), host="127.0.0.1", port=0,
                        max_size=config.mail_in.max_size)
    room.port = server.start()
    try:
        yield room
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture
def room(app_config: AppConfig, database_url: str, smtp_peer: Inbox) -> Iterator[MailRoom]:
    yield from make_room(app_config, database_url, smtp_peer)


def mail(*, sender: str = "Alice Martin <alice@acme.example>", subject: str = "[Critique] Le portail est en panne",
         body: str = "Plus personne ne peut se connecter depuis 9 h.", message_id: str = "<m1@acme.example>",
         headers: dict[str, str] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Tue, 24 Nov 2026 10:00:00 +0100"
    message.set_content(body)
    for name, value in (headers or {}).items():  # after set_content, which drops Content-* headers
        message[name] = value
    return message.as_bytes()
