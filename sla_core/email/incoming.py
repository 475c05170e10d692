"""Mail to the support address: what it says and what to do with it. Pure: bytes and the
sender directory in, a decision out (no database, no network, no clock).

Parsing is the standard library's ``email`` package with ``policy.default``. A mail it
cannot make sense of (no sender address, a header that breaks the parser) raises
``MalformedMail`` and is kept as a dead letter by the caller, never acted on.

Our own ticket mails carry ``Message-ID: <{ref}.{unique}@{domain}>`` (the receipt
``<{ref}@{domain}>``) and the subject ``[{ref}] …``: an answer names its ticket through
``In-Reply-To``, ``References`` or the subject, in that order of trust."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from enum import StrEnum
from typing import Literal, Protocol

from sla_core.authorization import MAIL_ACTOR
from sla_core.email.incoming_text import Attachment, attachments_of, new_part
from sla_core.severity import Severity


class MalformedMail(ValueError):
    """A mail that cannot be read well enough to act on; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, kw_only=True)
class IncomingMail:
    sender: str  # the From address, lower-cased
    subject: str
    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str  # the new part only: quoted text and signature stripped
    attachments: tuple[Attachment, ...]
    automatic: str | None  # why it is an auto-reply or a bounce (never acted on), else None
    size: int
    language: str | None = None  # "en" or "fr" from Content-Language: how to answer a stranger


# ---- who wrote ------------------------------------------------------------------------------
def mail_actor(address: str) -> str:
    return f"{MAIL_ACTOR}{address.strip().lower()}"


Standing = Literal["administrator", "end_user"]


@dataclass(frozen=True, kw_only=True)
class KnownSender:
    address: str
    account_id: str
    role: Standing
    slack_user_id: str | None  # their Slack user, when they have one (their DMs)
    language: str | None  # None: the desk's default language


@dataclass(frozen=True, kw_only=True)
class AccountContacts:
    """What an answer to an end user names: the account and its administrators' addresses."""

    account_id: str
    name: str
    active: bool
    administrator_emails: tuple[str, ...]


class SenderDirectory(Protocol):
    """Who a sender is: ``sla_core.email.directory.DatabaseSenderDirectory`` reads the
    account directory (tests may stand a smaller one in)."""

    def person_by_email(self, address: str) -> KnownSender | None: ...

    def account_contacts(self, account_id: str) -> AccountContacts | None: ...


# ---- what to do -----------------------------------------------------------------------------
class Verdict(StrEnum):
    OPEN_TICKET = "open_ticket"  # a known administrator's new request
    ADD_TO_TICKET = "add_to_ticket"  # a known administrator answering one of a ticket's mails
    ANSWER_SENDER = "answer_sender"  # an end user, an unknown sender, an inactive account: told who may write
    IGNORE_AUTOMATIC = "ignore_automatic"  # an auto-reply or a bounce: no ticket, no answer (no loop)
    RATE_LIMITED = "rate_limited"  # one sender writing too much: kept, not acted on


class AnswerReason(StrEnum):
    END_USER = "end_user"
    UNKNOWN = "unknown"
    INACTIVE = "inactive"


@dataclass(frozen=True, kw_only=True)
class Decision:
    verdict: Verdict
    sender: KnownSender | None = None
    ticket_ref: str | None = None  # ADD_TO_TICKET
    severity: Severity | None = None  # OPEN_TICKET
    severity_tagged: bool = False  # the severity came from the subject (else the default)
    title: str = ""  # OPEN_TICKET: the subject without its tags
    answer: AnswerReason | None = None  # ANSWER_SENDER
    account: AccountContacts | None = None  # ANSWER_SENDER: the account to name, if known
    why: str = ""  # for the record (ignored, rate-limited)


def decide(mail: IncomingMail, *, directory: SenderDirectory, reference_prefix: str, default_severity: Severity,
           sent_recently: int, rate_limit: int) -> Decision:
    """What to do with ``mail``. ``sent_recently`` counts the sender's mails already
    received within the rate limit's period (this one not included)."""
    if mail.automatic is not None:
        return Decision(verdict=Verdict.IGNORE_AUTOMATIC, why=mail.automatic)
    if sent_recently >= rate_limit:
        return Decision(verdict=Verdict.RATE_LIMITED,
                        why=f"{sent_recently} mails from {mail.sender} already within the rate limit's period")
    sender = directory.person_by_email(mail.sender)
    if sender is None:
        return Decision(verdict=Verdict.ANSWER_SENDER, answer=AnswerReason.UNKNOWN)
    account = directory.account_contacts(sender.account_id)
    if sender.role == "end_user":
        return Decision(verdict=Verdict.ANSWER_SENDER, sender=sender, answer=AnswerReason.END_USER, account=account)
    if account is not None and not account.active:
        return Decision(verdict=Verdict.ANSWER_SENDER, sender=sender, answer=AnswerReason.INACTIVE, account=account)
    ref = ticket_reference(mail, reference_prefix)
    if ref is not None:
        return Decision(verdict=Verdict.ADD_TO_TICKET, sender=sender, ticket_ref=ref)
    tagged = severity_tag(mail.subject)
    return Decision(verdict=Verdict.OPEN_TICKET, sender=sender, severity=tagged or default_severity,
                    severity_tagged=tagged is not None, title=clean_subject(mail.subject, reference_prefix))


# ---- reading a mail -------------------------------------------------------------------------
_PARSER = BytesParser(policy=policy.default)
_PRECEDENCE_AUTOMATIC = frozenset({"bulk", "junk", "list", "auto_reply"})


def parse_mail(raw: bytes, *, envelope_sender: str | None = None) -> IncomingMail:
    """Read ``raw`` (as received). ``envelope_sender`` is the SMTP/LMTP ``MAIL FROM``
    (``""`` for the null reverse path of a bounce), when known."""
    try:
        message = _PARSER.parsebytes(raw)
        assert isinstance(message, EmailMessage)
        sender = _sender(message)
        automatic = automatic_reason(message, envelope_sender=envelope_sender)
        return IncomingMail(
            sender=sender, subject=_one_line(str(message.get("Subject") or "")),
            message_id=_ids(message.get_all("Message-ID"))[:1][0] if message.get("Message-ID") else None,
            in_reply_to=_ids(message.get_all("In-Reply-To")), references=_ids(message.get_all("References")),
            text=new_part(message), attachments=attachments_of(message), automatic=automatic, size=len(raw),
            language=_language(message))
    except MalformedMail:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure makes the mail a dead letter, never a crash
        raise MalformedMail(f"the mail cannot be parsed: {type(exc).__name__}: {exc}") from exc


def automatic_reason(message: EmailMessage, *, envelope_sender: str | None = None) -> str | None:
    """Why ``message`` was sent by a machine (RFC 3834 auto-replies, bounces, lists), else None."""
    if envelope_sender is not None and envelope_sender.strip("<> ") == "":
        return "null envelope sender (a bounce)"
    return_path = message.get("Return-Path")
    if return_path is not None and str(return_path).strip().strip("<>").strip() == "":
        return "Return-Path: <> (a bounce)"
    submitted = str(message.get("Auto-Submitted") or "").strip().lower()
    if submitted and submitted.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {submitted}"
    precedence = str(message.get("Precedence") or "").strip().lower()
    if precedence in _PRECEDENCE_AUTOMATIC:
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Loop"):
        if message.get(header) is not None:
            return f"{header} header"
    if message.get("List-Id") is not None:
        return "List-Id: sent by a mailing list"
    if message.get_content_type() == "multipart/report" or any(
            part.get_content_type() in ("message/delivery-status", "message/disposition-notification")
            for part in message.walk()):
        return "delivery or read report"
    local = _sender(message).partition("@")[0]
    if local in ("mailer-daemon", "postmaster"):
        return f"sent by {local}"
    return None


def _sender(message: EmailMessage) -> str:
    pairs = [address for _, address in getaddresses([str(v) for v in message.get_all("From") or []]) if "@" in address]
    if not pairs:
        raise MalformedMail("no sender address (From)")
    address = pairs[0].strip().lower()
    if any(c.isspace() for c in address) or address.startswith("@") or address.endswith("@"):
        raise MalformedMail(f"the sender address {address!r} is not an address")
    return address


_ID = re.compile(r"<([^<>\s]+)>")


def _ids(values: Sequence[object] | None) -> tuple[str, ...]:
    found: list[str] = []
    for value in values or ():
        text = str(value)
        matches = _ID.findall(text)
        found.extend(matches if matches else text.split())
    return tuple(found)


def _language(message: EmailMessage) -> str | None:
    """The first of our languages the mail says it is written in (``Content-Language``,
    on the message or its text part)."""
    body = message.get_body(preferencelist=("plain", "html"))
    for part in (message, body):
        for tag in str((part or message).get("Content-Language") or "").replace(";", ",").split(","):
            primary = tag.strip().lower()[:2]
            if primary in ("en", "fr"):
                return primary
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---- the ticket a mail answers, its severity, its title -------------------------------------------
def _ref_pattern(prefix: str) -> str:
    return rf"{re.escape(prefix)}-\d{{4}}-\d{{6}}"


def ticket_reference(mail: IncomingMail, prefix: str) -> str | None:
    """The ticket ``mail`` answers: from the message it replies to, then the thread's
    references (the latest first), then ``[INC-…]`` in the subject."""
    by_id = re.compile(rf"^({_ref_pattern(prefix)})(?:\.[^@]*)?@")
    for message_id in (*mail.in_reply_to, *reversed(mail.references)):
        match = by_id.match(message_id)
        if match:
            return match.group(1)
    match = re.search(rf"\[\s*({_ref_pattern(prefix)})\s*\]", mail.subject)
    if match is None:
        match = re.search(rf"(?<![\w-])({_ref_pattern(prefix)})(?![\w-])", mail.subject)
    return match.group(1) if match else None


# Words a customer may tag a subject with, in English and French, accents ignored.
SEVERITY_WORDS = {
    "critical": Severity.CRITICAL, "critique": Severity.CRITICAL, "urgent": Severity.CRITICAL,
    "important": Severity.IMPORTANT, "importante": Severity.IMPORTANT, "high": Severity.IMPORTANT,
    "majeur": Severity.IMPORTANT, "majeure": Severity.IMPORTANT,
    "low": Severity.LOW, "faible": Severity.LOW, "basse": Severity.LOW, "mineur": Severity.LOW,
    "mineure": Severity.LOW, "none": Severity.NONE, "aucune": Severity.NONE,
}
_TAG = re.compile(r"\[\s*([^\[\]]{1,30}?)\s*\]")
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw|wg|rép|rep)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def severity_tag(subject: str) -> Severity | None:
    """The severity a ``[Critical]``-style tag in the subject asks for (the first one)."""
    for tag in _TAG.findall(subject):
        found = SEVERITY_WORDS.get(_plain(tag))
        if found is not None:
            return found
    return None


def clean_subject(subject: str, prefix: str) -> str:
    """The subject as a ticket title: without "Re:"/"Fwd:", severity tags or a reference."""
    without = _TAG.sub(lambda m: "" if _plain(m.group(1)) in SEVERITY_WORDS
                       or re.fullmatch(_ref_pattern(prefix), m.group(1)) else m.group(0), subject)
    return _one_line(_REPLY_PREFIX.sub("", _one_line(without)))
