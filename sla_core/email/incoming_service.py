"""Receiving one mail: read it, decide (``sla_core.email.incoming``), act through the
ticket services, and record what was done, in the transaction of the ticket change.

- A known administrator's new request opens a ticket (``service.open_ticket``) whose
  thread then lists the mail's attachments and asks the agents to confirm its severity
  (a ``MailReceived`` notice, written with the ticket).
- Their answer to one of a ticket's mails is the customer's message in its thread: it
  ends a wait on the customer (``customer_replied``) or is added as it is
  (``customer_message``).
- An end user, an unknown sender or an inactive account is owed a polite answer (a row
  of ``mail_in_messages`` the receiving process sends after the commit, ``bot/mail``).
- Auto-replies and bounces are recorded and nothing else; so is a sender over the limit.
- A mail that is too large, cannot be parsed or fails while acted on is kept whole in
  ``mail_in_dead_letters``. Receiving never raises for a bad mail; it raises only when
  the database itself cannot be written (the mail server then keeps the mail and retries).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from sla_core.config.mail_in import MailInSettings
from sla_core.email.incoming import (
    Decision, IncomingMail, MalformedMail, SenderDirectory, Verdict, clean_subject, decide, mail_actor, parse_mail,
    severity_tag,
)
from sla_core.email.models import DeadLetterRow, IncomingMailRow
from sla_core.errors import ConfigError, InputError
from sla_core.field_limits import ACTION_TEXT_MAX, TICKET_FIELDS
from sla_core.outbox.address import TicketThread
from sla_core.outbox.model import MailAttachment, MailReceived, Notification
from sla_core.outbox.store import enqueue
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets import service
from sla_core.tickets.actions import Action
from sla_core.tickets.errors import TicketError
from sla_core.tickets.intake import TicketForm
from sla_core.tickets.status import Status
from sla_core.tickets.support import SupportConfig, VersionStatus
from sla_core.tickets.views import EventView

log = logging.getLogger(__name__)

DEAD_LETTER_REASON_MAX = 2000


@dataclass(frozen=True, kw_only=True)
class MailDesk:
    """What receiving needs, built once per process (``bot/mail``)."""

    policy: Policy
    support: SupportConfig
    settings: MailInSettings
    directory: SenderDirectory
    default_language: str
    new_uow: Callable[[], UnitOfWork]  # with the outbox's before-commit hook (``BotContext.uow``)


@dataclass(frozen=True, kw_only=True)
class Received:
    """What became of a mail: acted on (``verdict``), or kept as a dead letter."""

    verdict: Verdict | None = None
    ticket_ref: str | None = None
    dead_letter_id: int | None = None
    duplicate: bool = False  # the same mail was received before: nothing done again
    oversized: bool = False
    reason: str = ""


def receive(desk: MailDesk, raw: bytes, *, via: str, now: datetime, envelope_sender: str | None = None) -> Received:
    if len(raw) > desk.settings.max_size:
        reason = f"oversized: {len(raw)} bytes, the limit is {desk.settings.max_size} (mail_in.max_size)"
        return _dead(desk, raw, reason=reason, via=via, now=now, envelope_sender=envelope_sender, oversized=True)
    try:
        mail = parse_mail(raw, envelope_sender=envelope_sender)
    except MalformedMail as exc:
        return _dead(desk, raw, reason=f"malformed: {exc.reason}", via=via, now=now, envelope_sender=envelope_sender)
    try:
        return _act(desk, mail, raw, via=via, now=now)
    except Exception as exc:  # noqa: BLE001 - a mail we could not act on is kept, not lost
        log.exception("mail from %s could not be acted on; kept as a dead letter", mail.sender)
        return _dead(desk, raw, reason=f"could not be acted on: {type(exc).__name__}: {exc}", via=via, now=now,
                     envelope_sender=envelope_sender, mail=mail)


def dedupe_key(mail: IncomingMail, raw: bytes) -> str:
    """The same mail received twice has the same key: its sender and Message-ID, or its
    bytes when it has no Message-ID."""
    basis = f"{mail.sender}\n{mail.message_id}".encode() if mail.message_id else raw
    return hashlib.sha256(basis).hexdigest()


def _act(desk: MailDesk, mail: IncomingMail, raw: bytes, *, via: str, now: datetime) -> Received:
    key = dedupe_key(mail, raw)
    uow = desk.new_uow()
    with uow:
        seen = uow.session.scalar(select(IncomingMailRow).where(IncomingMailRow.dedupe_key == key))
        if seen is not None:
            return Received(verdict=Verdict(seen.outcome), ticket_ref=seen.ticket_ref, duplicate=True)
        recent = 0 if mail.automatic else uow.session.scalar(
            select(func.count()).select_from(IncomingMailRow).where(
                IncomingMailRow.sender == mail.sender, IncomingMailRow.received_at > now - desk.settings.rate_limit.period,
                IncomingMailRow.outcome != Verdict.IGNORE_AUTOMATIC.value)) or 0
    decision = decide(mail, directory=desk.directory, reference_prefix=desk.support.reference_prefix,
                      default_severity=desk.settings.default_severity, sent_recently=recent,
                      rate_limit=desk.settings.rate_limit.count)
    if decision.verdict is Verdict.ADD_TO_TICKET and not _answers_own_ticket(desk, decision):
        decision = _as_new_ticket(desk, mail, decision)
    record = IncomingMailRow(
        dedupe_key=key, received_at=now, via=via, sender=mail.sender, message_id=(mail.message_id or "")[:998] or None,
        subject=mail.subject, outcome=decision.verdict.value, detail=decision.why, answer_attempts=0)
    try:
        if decision.verdict is Verdict.OPEN_TICKET:
            return _open(desk, mail, decision, record, key=key, now=now)
        if decision.verdict is Verdict.ADD_TO_TICKET:
            return _add(desk, mail, decision, record, now=now)
        if decision.verdict is Verdict.ANSWER_SENDER:
            sender = decision.sender
            record.answer_to = mail.sender
            record.answer_reason = decision.answer.value if decision.answer else None
            # Theirs if the directory knows it, else the one their mail is written in, else the desk's.
            record.answer_language = (sender.language if sender and sender.language else None) or mail.language \
                or desk.default_language
            record.answer_account = decision.account.account_id if decision.account else None
        with uow:
            uow.session.add(record)
            uow.commit()
    except IntegrityError:  # the same mail, received at the same moment by another replica
        return Received(verdict=decision.verdict, duplicate=True)
    return Received(verdict=decision.verdict, reason=decision.why)


def _answers_own_ticket(desk: MailDesk, decision: Decision) -> bool:
    """The reference names a ticket of the sender's own account that is not closed (else:
    a new request; a closed ticket takes nothing more)."""
    assert decision.ticket_ref is not None and decision.sender is not None
    uow = desk.new_uow()
    with uow:
        row = uow.tickets.get_by_ref(decision.ticket_ref)
        return row is not None and row.account_id == decision.sender.account_id \
            and row.status != Status.CLOSED.value


def _as_new_ticket(desk: MailDesk, mail: IncomingMail, decision: Decision) -> Decision:
    tagged = severity_tag(mail.subject)
    return replace(decision, verdict=Verdict.OPEN_TICKET, ticket_ref=None,
                   severity=tagged or desk.settings.default_severity, severity_tagged=tagged is not None,
                   title=clean_subject(mail.subject, desk.support.reference_prefix))


def _actor_and_support(desk: MailDesk, decision: Decision) -> tuple[str, SupportConfig]:
    """Who acts: a Slack user when the directory knows theirs, else ``mail:<address>``,
    which the ticket services' view of the directory counts as the administrator the
    directory says that address is (``accounts.directory.accounts_for``)."""
    sender = decision.sender
    assert sender is not None
    return sender.slack_user_id or mail_actor(sender.address), desk.support


def _cut(text: str, limit: int) -> tuple[str, bool]:
    return (text, False) if len(text) <= limit else (text[: limit - 1].rstrip() + "…", True)


def _product_version(desk: MailDesk) -> str:
    if desk.settings.product_version is not None:
        return desk.settings.product_version
    supported = [v for v, s in desk.support.versions.items() if s is VersionStatus.SUPPORTED]
    if not supported:
        raise ConfigError("support.versions", "no supported version to open a ticket by e-mail for "
                                              "(or set mail_in.product_version)")
    return max(supported, key=_version_key)


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.replace("-", ".").split("."))


def _hook(record: IncomingMailRow, mail: IncomingMail, *, truncated: bool,
          severity_tagged: bool | None) -> Callable[[UnitOfWork, Sequence[EventView]], None]:
    """Written in the ticket change's own transaction: the mail's record and its thread notice."""
    def write(uow: UnitOfWork, events: Sequence[EventView]) -> None:
        if not events:
            return
        event = events[-1]
        row = uow.tickets.get_by_ref(event.ticket_ref)
        assert row is not None
        record.ticket_ref = event.ticket_ref
        uow.session.add(record)
        uow.session.flush()  # a second receipt of the same mail fails here, and the change with it
        notice = MailReceived(ref=event.ticket_ref, seq=event.seq, event=event.type.value, sender=mail.sender,
                              attachments=tuple(MailAttachment(filename=a.filename, content_type=a.content_type,
                                                               size=a.size) for a in mail.attachments),
                              severity_tagged=severity_tagged, truncated=truncated)
        enqueue(uow.session, [Notification(key=f"t{row.id}:e{event.seq}:mail", payload=notice,
                                           address=TicketThread(), due_at=event.at, ticket_id=row.id)], now=event.at)
    return write


def _open(desk: MailDesk, mail: IncomingMail, decision: Decision, record: IncomingMailRow, *, key: str,
          now: datetime) -> Received:
    actor, support = _actor_and_support(desk, decision)
    sender = decision.sender
    assert sender is not None and decision.severity is not None
    title, cut_title = _cut(decision.title or mail.text.strip().split("\n")[0] or mail.sender,
                            TICKET_FIELDS["title"].max_length)
    description, cut_text = _cut(mail.text or decision.title or mail.subject or "—",
                                 TICKET_FIELDS["description"].max_length)
    form = TicketForm(title=title, description=description, category="incident",
                      product_version=_product_version(desk),
                      language=sender.language or mail.language or desk.default_language,
                      contact_channel="email", severity=decision.severity.value, account_id=sender.account_id)
    uow = desk.new_uow()
    uow.before_commit.append(_hook(record, mail, truncated=cut_title or cut_text,
                                   severity_tagged=decision.severity_tagged))
    view = service.open_ticket(uow, policy=desk.policy, support=support, reporter_id=actor, form=form,
                               idempotency_key=f"mail:{key}", now=now)
    return Received(verdict=Verdict.OPEN_TICKET, ticket_ref=view.ref)


def _add(desk: MailDesk, mail: IncomingMail, decision: Decision, record: IncomingMailRow, *,
         now: datetime) -> Received:
    actor, support = _actor_and_support(desk, decision)
    assert decision.ticket_ref is not None
    uow = desk.new_uow()
    with uow:
        row = uow.tickets.get_by_ref(decision.ticket_ref)
        assert row is not None
        waiting = row.status == Status.WAITING_ON_CUSTOMER.value
    text, truncated = _cut(mail.text or mail.subject, ACTION_TEXT_MAX)
    uow = desk.new_uow()
    uow.before_commit.append(_hook(record, mail, truncated=truncated, severity_tagged=None))
    action = Action.CUSTOMER_REPLIED if waiting else Action.CUSTOMER_MESSAGE
    try:
        service.perform(uow, action=action, policy=desk.policy, support=support, ticket_ref=decision.ticket_ref,
                        actor_id=actor, now=now, text=text)
    except TicketError as exc:
        if not waiting or getattr(exc, "code", "") != "illegal_transition":
            raise
        # The wait ended between our read and the change (an agent recorded the answer): add it as a message.
        uow = desk.new_uow()
        uow.before_commit.append(_hook(record, mail, truncated=truncated, severity_tagged=None))
        service.perform(uow, action=Action.CUSTOMER_MESSAGE, policy=desk.policy, support=support,
                        ticket_ref=decision.ticket_ref, actor_id=actor, now=now, text=text)
    return Received(verdict=Verdict.ADD_TO_TICKET, ticket_ref=decision.ticket_ref)


def _dead(desk: MailDesk, raw: bytes, *, reason: str, via: str, now: datetime, envelope_sender: str | None,
          oversized: bool = False, mail: IncomingMail | None = None) -> Received:
    sender, subject = (mail.sender, mail.subject) if mail else _best_effort_headers(raw)
    uow = desk.new_uow()
    with uow:
        row = DeadLetterRow(received_at=now, via=via, envelope_sender=(envelope_sender or "")[:320] or None,
                            sender=sender[:320] if sender else None, subject=subject, reason=reason[:DEAD_LETTER_REASON_MAX],
                            size=len(raw), raw=raw, status="failed")
        uow.session.add(row)
        uow.session.flush()
        dead_id = row.id
        uow.commit()
    return Received(dead_letter_id=dead_id, oversized=oversized, reason=reason)


def _best_effort_headers(raw: bytes) -> tuple[str | None, str | None]:
    """From and Subject as plain text, for the dead letters' list (no parser trusted)."""
    found: dict[str, str] = {}
    for line in raw[:64 * 1024].split(b"\n"):
        if not line.strip():
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() in ("from", "subject") and name.strip().lower() not in found:
            found[name.strip().lower()] = " ".join(value.split())[:500]
    return found.get("from"), found.get("subject")


def retry_dead_letter(desk: MailDesk, dead_letter_id: int, *, now: datetime) -> Received:
    """Receive a dead letter's mail again (after a fix); the letter is marked retried
    whatever the outcome (a new failure is a new dead letter)."""
    uow = desk.new_uow()
    with uow:
        row = uow.session.get(DeadLetterRow, dead_letter_id)
        if row is None:
            raise InputError("id", f"there is no dead letter #{dead_letter_id}")
        raw, envelope_sender = bytes(row.raw), row.envelope_sender
        row.status, row.retried_at = "retried", now
        uow.commit()
    # An oversized mail retried by an operator is read whatever its size: they chose to.
    roomy = replace(desk, settings=replace(desk.settings, max_size=max(desk.settings.max_size, len(raw))))
    return receive(roomy, raw, via="retry", now=now, envelope_sender=envelope_sender)
