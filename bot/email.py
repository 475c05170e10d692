"""Sending email over SMTP with the standard library (``smtplib``): the customers' notice
of planned maintenance. Settings come from app.yaml's ``email`` section; the password,
if any, from the environment variable it names."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sla_core.availability.announce import OutgoingEmail
from sla_core.availability.config import EmailSettings
from sla_core.errors import AstreinteError


class EmailFailed(AstreinteError):
    code = "email_failed"

    def __init__(self, host: str, port: int, problem: str) -> None:
        self.params = {"host": host, "port": port, "problem": problem}
        super().__init__(f"could not send email through {host}:{port}: {problem}")


def build_message(email: OutgoingEmail, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    # Customers must not see each other's addresses: they go in Bcc-like envelope only,
    # the visible To is the sender itself.
    message["To"] = sender
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message.set_content(email.body)
    return message


def send_email(settings: EmailSettings, email: OutgoingEmail, *, environ: Mapping[str, str] | None = None) -> None:
    """Deliver ``email`` to its recipients; raises EmailFailed saying why."""
    if not email.recipients:
        raise EmailFailed(settings.host, settings.port, "no recipients")
    env = os.environ if environ is None else environ
    message = build_message(email, sender=settings.sender)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, env.get(settings.password_env, ""))
            refused = smtp.send_message(message, from_addr=settings.sender, to_addrs=list(email.recipients))
    except (OSError, smtplib.SMTPException) as exc:
        raise EmailFailed(settings.host, settings.port, str(exc) or type(exc).__name__) from exc
    if refused:
        raise EmailFailed(settings.host, settings.port, f"refused recipients: {', '.join(sorted(refused))}")
