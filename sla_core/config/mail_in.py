"""The ``mail_in`` section of ``app.yaml``: mail sent to the support address, received by
``astreinte mail-in`` over LMTP (from the mail server) or fetched from a hosted mailbox
over IMAP. Optional: without it, the defaults below and no IMAP mailbox."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sla_core.config.reader import BAD, Problems, Section, boolean, text
from sla_core.severity import Severity

MAIL_IN_KEYS = ("lmtp", "imap", "max_size", "rate_limit", "default_severity", "product_version")
LMTP_KEYS = ("host", "port")
IMAP_KEYS = ("host", "port", "tls", "username", "password_env", "mailbox", "processed_mailbox", "poll_seconds")

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|KiB|MiB)?\s*$", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1000, "mb": 1000 ** 2, "kib": 1024, "mib": 1024 ** 2}
_RATE = re.compile(r"^\s*(\d+)\s+per\s+(minute|hour|day)\s*$")
_PERIODS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


@dataclass(frozen=True, kw_only=True)
class RateLimit:
    """At most ``count`` mails from one sender per ``period`` are acted on."""

    count: int
    period: timedelta


@dataclass(frozen=True, kw_only=True)
class ImapSettings:
    host: str
    username: str
    port: int = 993
    tls: bool = True  # IMAPS (993); false: plain IMAP, for a server on the same host only
    password_env: str = "ASTREINTE_IMAP_PASSWORD"  # secrets stay in the environment
    mailbox: str = "INBOX"
    processed_mailbox: str = "Processed"  # handled mails are moved here (created if missing), never deleted
    poll_seconds: float = 60.0


@dataclass(frozen=True, kw_only=True)
class MailInSettings:
    lmtp_host: str = "127.0.0.1"
    lmtp_port: int = 8024  # Mailman 3's LMTP port, for familiarity
    max_size: int = 10 * 1000 ** 2  # bytes; larger mail is kept in the dead letters, never acted on
    rate_limit: RateLimit = RateLimit(count=10, period=timedelta(hours=1))
    default_severity: Severity = Severity.IMPORTANT  # when the subject has no [Critical]-style tag
    product_version: str | None = None  # None: the newest supported version
    imap: ImapSettings | None = None


def read_mail_in(top: Section, problems: Problems) -> MailInSettings:
    section = top.sub("mail_in", MAIL_IN_KEYS, required=False)
    lmtp = section.sub("lmtp", LMTP_KEYS, required=False)
    imap = _imap(section.sub("imap", IMAP_KEYS, required=False)) if section.has("imap") else None
    settings = MailInSettings(
        lmtp_host=lmtp.read("host", text, default="127.0.0.1"), lmtp_port=lmtp.read("port", port, default=8024),
        max_size=section.read("max_size", size, default="10 MB"),
        rate_limit=section.read("rate_limit", rate, default="10 per hour"),
        default_severity=section.read("default_severity", _severity, default="important"),
        product_version=section.read("product_version", text, default=None), imap=imap)
    if problems.items:
        return BAD  # type: ignore[no-any-return]
    return settings


def _imap(section: Section) -> ImapSettings:
    tls = section.read("tls", boolean, default=True)
    return ImapSettings(
        host=section.read("host", text, missing="missing (the IMAP server, e.g. imap.example.com)"),
        username=section.read("username", text, missing="missing (the mailbox's login)"),
        port=section.read("port", port, default=993 if tls is True else 143), tls=tls,
        password_env=section.read("password_env", text, default="ASTREINTE_IMAP_PASSWORD"),
        mailbox=section.read("mailbox", text, default="INBOX"),
        processed_mailbox=section.read("processed_mailbox", text, default="Processed"),
        poll_seconds=section.read("poll_seconds", _seconds, default=60))


def size(value: object) -> int:
    match = _SIZE.match(str(value))
    if match is None or isinstance(value, bool):
        raise ValueError(f'"{value}" is not a size (write e.g. "10 MB")')
    amount = float(match.group(1)) * _UNITS[(match.group(2) or "b").lower()]
    if amount < 1024:
        raise ValueError(f'"{value}" is too small for a mail (at least 1 KiB)')
    return int(amount)


def rate(value: object) -> RateLimit:
    match = _RATE.match(str(value))
    if match is None or int(match.group(1)) < 1:
        raise ValueError(f'"{value}" is not a rate (write e.g. "10 per hour"; per minute, hour or day)')
    return RateLimit(count=int(match.group(1)), period=_PERIODS[match.group(2)])


def port(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ValueError(f"{value!r} is not a TCP port")
    return value


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1:
        raise ValueError(f"{value!r} is not a number of seconds (at least 1)")
    return float(value)


def _severity(value: object) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError:
        raise ValueError(f'"{value}" is not one of: {", ".join(s.value for s in Severity)}') from None
