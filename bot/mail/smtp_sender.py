"""Sending a ticket's mail to its reporter over SMTP (``smtplib``), for the outbox sender.

The reporter's address is the e-mail of their Slack profile (``users.info``, scope
``users:read.email``): the intake modal asks for a phone number, not an address, and the
administrator's Slack account is the identity the desk already trusts. It is looked up
when the mail is sent (so a corrected profile is used) and cached for the process.

What a failure means (``MailFailed.failure``):

- the server cannot be reached, drops the connection, times out, or answers 4xx: the row
  stays pending and is retried with the sender's backoff — nothing is lost while the
  server is down;
- the server refuses for good (5xx, e.g. ``550 no such user``) or the reporter has no
  address: the row is failed at once with the server's reason (``/healthz`` lists it).

SMTP has no idempotency key: a mail whose "250 OK" was lost is sent again, with the same
``Message-ID`` (``sla_core/email/outgoing.py``), by which receivers drop the copy."""

from __future__ import annotations

import email.policy
import logging
import os
import smtplib
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from slack_sdk import WebClient

from bot.mail.outgoing_render import RenderedMail
from sla_core.authorization import MAIL_ACTOR
from sla_core.config.service_levels import EmailSettings

log = logging.getLogger("bot.mail")

# Python's header folder breaks a subject starting "[REF] …" right after "Subject:" once it
# holds a "<" (a value that starts with a space when unfolded): fold only past RFC 5322's
# hard limit, which a subject (a title is at most a few hundred characters) never reaches.
MAIL_POLICY = email.policy.default.clone(max_line_length=998)
AUTO_SUBMITTED = "auto-generated"  # RFC 3834: no mail system answers it, so no loop with auto-replies


@dataclass(frozen=True, kw_only=True)
class MailFailure:
    """``transient``: retried with backoff, never given up; ``permanent``: failed at once."""

    kind: str
    error: str
    maybe_landed: bool = False  # the server may have taken the mail before the connection dropped

    @property
    def permanent(self) -> bool:
        return self.kind == "permanent"


class MailFailed(Exception):
    def __init__(self, failure: MailFailure) -> None:
        super().__init__(failure.error)
        self.failure = failure


def build_message(mail: RenderedMail, *, sender: str, to: str, reply_to: str | None, now: datetime) -> EmailMessage:
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = sender
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = mail.threading.message_id
    if mail.threading.in_reply_to:
        message["In-Reply-To"] = mail.threading.in_reply_to
    if mail.threading.references:
        message["References"] = mail.threading.references
    message["Auto-Submitted"] = AUTO_SUBMITTED
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    message["Content-Language"] = mail.lang  # after the parts: set_content drops Content-* headers
    return message


def classify_smtp(exc: BaseException) -> MailFailure | None:
    """What an smtplib failure means for the outbox row (None: not an SMTP failure)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{to}: {code} {_text(reply)}" for to, (code, reply) in exc.recipients.items())
        permanent = all(code >= 500 for code, _ in exc.recipients.values())
        return MailFailure(kind="permanent" if permanent else "transient", error=f"refused: {answers}")
    if isinstance(exc, smtplib.SMTPResponseException):
        error = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        if exc.smtp_code >= 500:
            return MailFailure(kind="permanent", error=error)
        return MailFailure(kind="transient", error=error)
    if isinstance(exc, (OSError, smtplib.SMTPException)):  # refused, reset, timeout, disconnected
        return MailFailure(kind="transient", error=f"{type(exc).__name__}: {exc}", maybe_landed=True)
    return None


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class SmtpSender:
    """Sends one message at a time, each over its own connection (ticket mail is a few a
    minute at most; a kept connection would have to survive the server's idle timeout)."""

    def __init__(self, settings: EmailSettings, client: WebClient, *, environ: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.client = client
        self._environ = os.environ if environ is None else environ
        self._addresses: dict[str, str] = {}
        self._lock = threading.Lock()

    def address_of(self, user_id: str) -> str:
        """The e-mail of ``user_id``'s Slack profile; MailFailed (final) when there is none.
        A reporter known by e-mail only (``mail:<address>``, a ticket opened by mail) is
        written to at that address."""
        if user_id.startswith(MAIL_ACTOR):
            return user_id[len(MAIL_ACTOR):]
        with self._lock:
            known = self._addresses.get(user_id)
        if known:
            return known
        user = self.client.users_info(user=user_id)["user"]  # SlackApiError: the sender classifies it
        email = str(((user or {}).get("profile") or {}).get("email") or "").strip()
        if not email or not getaddresses([email])[0][1]:
            raise MailFailed(MailFailure(kind="permanent",
                                         error=f"no e-mail address in {user_id}'s Slack profile "
                                               "(is the users:read.email scope granted?)"))
        with self._lock:
            self._addresses[user_id] = email
        return email

    def send(self, message: EmailMessage, *, to: str) -> None:
        settings = self.settings
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.username:
                    smtp.login(settings.username, self._environ.get(settings.password_env, ""))
                smtp.send_message(message, from_addr=settings.sender, to_addrs=[to])
        except Exception as exc:
            failure = classify_smtp(exc)
            if failure is None:
                raise
            raise MailFailed(failure) from exc
