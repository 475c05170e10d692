"""The polite answers mail-in owes (an end user, an unknown sender, an inactive account:
who may open tickets instead), sent over SMTP after the mail is recorded.

Each answer is a row of ``mail_in_messages`` with ``answer_to`` set and ``answered_at``
empty, written in the transaction that recorded the mail: a failing SMTP server loses
nothing, the next pass sends it. A pass claims a row by bumping its attempt count where
it still holds the count it read, so two receiving processes never both send one answer.
The answer says it is automatic (``Auto-Submitted: auto-replied``, RFC 3834), so that a
well-behaved autoresponder does not answer it, and mail-in ignores any that does."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from messages import render_plain
from sla_core.config.service_levels import EmailSettings
from sla_core.email.incoming import SenderDirectory
from sla_core.email.models import IncomingMailRow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10  # then the row stays unanswered, visible in `astreinte mail list-failed --answers`


def answer_message(row: IncomingMailRow, *, sender: str, directory: SenderDirectory) -> EmailMessage:
    lang = row.answer_language or "en"
    account = directory.account_contacts(row.answer_account) if row.answer_account else None
    body = render_plain(f"mail_in.answer.{row.answer_reason or 'unknown'}", lang, sender=row.answer_to,
                        account=account.name if account else "",
                        administrators=", ".join(account.administrator_emails) if account else "")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.answer_to
    message["Subject"] = render_plain("mail_in.answer.subject", lang, subject=row.subject or "…")
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=f"answer.{row.id}", domain=sender.rpartition("@")[2] or None)
    if row.message_id:
        message["In-Reply-To"] = f"<{row.message_id}>"
        message["References"] = f"<{row.message_id}>"
    message["Auto-Submitted"] = "auto-replied"
    message["X-Auto-Response-Suppress"] = "All"  # Exchange: no out-of-office back
    message["Content-Language"] = lang
    message.set_content("\n\n".join((render_plain("mail_in.answer.greeting", lang), body,
                                     render_plain("mail_in.answer.signature", lang))) + "\n")
    return message


def send_pending_answers(engine: Engine, *, email: EmailSettings, directory: SenderDirectory, now: datetime,
                         environ: Mapping[str, str] | None = None, limit: int = 20) -> int:
    """Send what is owed; returns how many were sent. SMTP failures are recorded on the
    row (``answer_error``) and retried at the next pass."""
    sent = 0
    with Session(engine) as session:
        pending = session.scalars(
            select(IncomingMailRow).where(IncomingMailRow.answer_to.is_not(None), IncomingMailRow.answered_at.is_(None),
                                          IncomingMailRow.answer_attempts < MAX_ATTEMPTS)
            .order_by(IncomingMailRow.id).limit(limit)).all()  # loaded whole: read after the session closes
    for row in pending:
        with Session(engine) as session:
            claimed = session.execute(
                update(IncomingMailRow).where(IncomingMailRow.id == row.id,
                                              IncomingMailRow.answer_attempts == row.answer_attempts,
                                              IncomingMailRow.answered_at.is_(None))
                .values(answer_attempts=row.answer_attempts + 1)).rowcount
            session.commit()
        if claimed != 1:
            continue  # another process took it
        error: str | None = None
        try:
            _send(email, answer_message(row, sender=email.sender, directory=directory), environ)
        except (OSError, smtplib.SMTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.warning("the answer to mail %s (%s) could not be sent: %s", row.id, row.answer_to, error)
        with Session(engine) as session:
            session.execute(update(IncomingMailRow).where(IncomingMailRow.id == row.id).values(
                answered_at=None if error else now, answer_error=error))
            session.commit()
        sent += error is None
    return sent


def _send(settings: EmailSettings, message: EmailMessage, environ: Mapping[str, str] | None) -> None:
    env = os.environ if environ is None else environ
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, env.get(settings.password_env, ""))
        # The envelope sender is null (RFC 3834 §3.3): a bounce of an automatic answer goes nowhere.
        refused = smtp.send_message(message, from_addr="", to_addrs=[str(message["To"])])
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
