"""The tables of mail to the support address (``sla_core.persistence.schema`` registers
them on the application's metadata).

- ``mail_in_messages``: every mail received and what was done with it (a ticket opened or
  answered, a polite answer owed, ignored as automatic, rate-limited). ``dedupe_key``
  (sender and Message-ID) makes receiving the same mail twice (an LMTP retry after a lost
  reply, an IMAP poll interrupted before the move) act once. Its rows also count a
  sender's recent mails for the rate limit, across replicas.
- ``mail_in_dead_letters``: mail that could not be acted on (malformed, oversized, a
  failure while acting), kept whole with the reason, for ``astreinte mail list-failed``
  and ``mail retry``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from sla_core.persistence.models import Base
from sla_core.persistence.types import UTCDateTime


_PENDING = "answer_to IS NOT NULL AND answered_at IS NULL"


class IncomingMailRow(Base):
    __tablename__ = "mail_in_messages"
    __table_args__ = (
        Index("ix_mail_in_messages_sender_received", "sender", "received_at"),  # the rate limit's count
        # The polite answers still to send (few rows: the index holds only them).
        Index("ix_mail_in_messages_answer_pending", "id", postgresql_where=text(_PENDING), sqlite_where=text(_PENDING)),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    via: Mapped[str] = mapped_column(String(16))  # lmtp | imap | retry
    sender: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[str | None] = mapped_column(String(998))
    subject: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(32))  # sla_core.email.incoming.Verdict
    detail: Mapped[str] = mapped_column(Text, default="")
    ticket_ref: Mapped[str | None] = mapped_column(String(32))
    # A polite answer owed to the sender (end user, unknown, inactive account): sent after
    # the commit by the receiving process, retried until ``answered_at`` is set.
    answer_to: Mapped[str | None] = mapped_column(String(320))
    answer_reason: Mapped[str | None] = mapped_column(String(16))
    answer_language: Mapped[str | None] = mapped_column(String(8))
    answer_account: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer_attempts: Mapped[int] = mapped_column(Integer, default=0)
    answer_error: Mapped[str | None] = mapped_column(Text)


class DeadLetterRow(Base):
    __tablename__ = "mail_in_dead_letters"
    __table_args__ = (Index("ix_mail_in_dead_letters_status", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    via: Mapped[str] = mapped_column(String(16))
    envelope_sender: Mapped[str | None] = mapped_column(String(320))
    sender: Mapped[str | None] = mapped_column(String(320))  # From, when it could be read
    subject: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # the mail as received, whole
    status: Mapped[str] = mapped_column(String(16), default="failed")  # failed | retried
    retried_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
