"""Asking, and recording the answer. Every function takes ``now`` (or the instant of the
event that asks) and writes its notices to the outbox in its own transaction.

- **Asked once**: one survey per ticket (a unique ticket reference), and none for a
  reporter asked less than ``once_per`` before (the fatigue window, counted from when the
  last survey was asked, whether or not it was answered). The question is decided in the
  transaction of the accepting event (``survey_hook``, a before-commit hook of the unit of
  work), so an accepted resolution and its survey are committed together or not at all;
  the scheduler's auto-accept goes through the same hook.
- **The first answer is kept**: the score is written by a conditional update (``WHERE score
  IS NULL``), so a double click or a second answer, even concurrent, is refused with the
  score already given and when; the same for the comment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sla_core.authorization import Actor, Capability, authorize, roles_of
from sla_core.config.satisfaction import SCORES, SatisfactionSettings
from sla_core.errors import CodedError
from sla_core.field_limits import SATISFACTION_COMMENT
from sla_core.outbox.address import ClickedMessage, DirectMessage, EscalationRung, Rung, SharedThread
from sla_core.outbox.model import Notification, SatisfactionAnswered, SatisfactionAsk, SatisfactionLow
from sla_core.outbox.store import enqueue
from sla_core.persistence.models import Ticket
from sla_core.persistence.uow import UnitOfWork
from sla_core.satisfaction.models import SurveyRow
from sla_core.tickets.actions import EventKind
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.views import EventView

ASKING_EVENTS = frozenset({EventKind.RESOLUTION_ACCEPTED, EventKind.RESOLUTION_AUTO_ACCEPTED})
Message = tuple[str, str]  # (channel, ts) of the survey message a button was pressed on


class SatisfactionError(CodedError):
    """``csat_not_found``, ``csat_bad_score``, ``csat_already_answered`` (params ``score``,
    ``at``), ``csat_comment_already`` (``at``), ``csat_comment_too_long`` (``limit``)."""

    code = "csat_error"


@dataclass(frozen=True, kw_only=True)
class Survey:
    ref: str
    reporter_id: str
    account_id: str
    severity: str
    agent_id: str | None
    asked_at: datetime
    score: int | None
    answered_at: datetime | None
    comment: str | None
    commented_at: datetime | None


def _view(row: SurveyRow) -> Survey:
    return Survey(ref=row.ticket_ref, reporter_id=row.reporter_id, account_id=row.account_id, severity=row.severity,
                  agent_id=row.agent_id, asked_at=row.asked_at, score=row.score, answered_at=row.answered_at,
                  comment=row.comment, commented_at=row.commented_at)


# ---- asking ------------------------------------------------------------------------------
def survey_hook(settings: SatisfactionSettings) -> Callable[[UnitOfWork, Sequence[EventView]], int]:
    """A before-commit hook: the survey an accepted resolution owes, in its transaction."""
    def hook(uow: UnitOfWork, events: Sequence[EventView]) -> int:
        asked = 0
        for event in events:
            if event.type in ASKING_EVENTS:
                ticket = uow.tickets.get_by_ref(event.ticket_ref)  # the row the change holds: no second read
                if ticket is not None:
                    asked += len(ask(uow.session, ticket_ref=event.ticket_ref, settings=settings, at=event.at,
                                     ticket=ticket))
        return asked

    return hook


def ask(session: Session, *, ticket_ref: str, settings: SatisfactionSettings, at: datetime,
        ticket: Ticket | None = None) -> list[Notification]:
    """Ask the ticket's reporter "How did we do?" unless surveys are off, this ticket was
    already asked, or its reporter was asked less than ``once_per`` before ``at``.
    ``ticket``: its row, when the caller already holds it."""
    if not settings.enabled:
        return []
    if ticket is None:
        ticket = session.scalar(select(Ticket).where(Ticket.ref == ticket_ref))
    if ticket is None or session.scalar(select(SurveyRow.id).where(SurveyRow.ticket_ref == ticket_ref)) is not None:
        return []
    last = session.scalar(select(func.max(SurveyRow.asked_at)).where(SurveyRow.reporter_id == ticket.reporter_id))
    if last is not None and at - last < settings.once_per:
        return []
    session.add(SurveyRow(ticket_ref=ticket.ref, ticket_id=ticket.id, reporter_id=ticket.reporter_id,
                          account_id=ticket.account_id, severity=ticket.severity, agent_id=ticket.assignee_id,
                          asked_at=at))
    session.flush()
    # Asked once, where the conversation was: the thread in the account's shared channel when
    # the ticket was opened from a message there, else the reporter's DM (a second copy left
    # unanswered in the other place would look like a question still owed).
    where: list[tuple[str, DirectMessage | SharedThread]] = (
        [("ask:shared", SharedThread())] if ticket.source_shared else [("ask", DirectMessage())])
    return enqueue(session, [Notification(key=f"csat:{ticket.ref}:{suffix}", payload=SatisfactionAsk(ref=ticket.ref),
                                          address=address, due_at=at, ticket_id=ticket.id)
                             for suffix, address in where], now=at)


# ---- answering ---------------------------------------------------------------------------
def get_survey(uow: UnitOfWork, *, ticket_ref: str) -> Survey:
    with uow:
        return _view(_row(uow.session, ticket_ref))


def check_may_answer(uow: UnitOfWork, *, ticket_ref: str, user_id: str, support: SupportConfig) -> None:
    """Raise the refusal a non-reporter would get on answering (before a comment modal opens)."""
    with uow:
        _answerable(uow.session, ticket_ref, user_id, support)


def record_score(uow: UnitOfWork, *, ticket_ref: str, user_id: str, score: int, support: SupportConfig,
                 settings: SatisfactionSettings, now: datetime, message: Message | None = None) -> Survey:
    """The reporter's score (1–5). The first one is kept; a second is refused, naming it."""
    if score not in SCORES:
        raise SatisfactionError(f"{score!r} is not a score from 1 to 5", code="csat_bad_score", ref=ticket_ref)
    with uow:
        row = _answerable(uow.session, ticket_ref, user_id, support)
        written = uow.session.execute(update(SurveyRow).where(SurveyRow.id == row.id, SurveyRow.score.is_(None))
                                      .values(score=score, answered_at=now)).rowcount
        if written != 1:
            uow.session.refresh(row)
            raise _already(row)
        uow.session.refresh(row)
        notices = []
        if message is not None:
            notices.append(_answered(row, message, "score", now))
        if settings.is_low(score):
            notices.append(Notification(key=f"csat:{row.ticket_ref}:low", address=EscalationRung(rung=Rung.LEADS),
                                        payload=SatisfactionLow(ref=row.ticket_ref, score=score), due_at=now,
                                        ticket_id=row.ticket_id))
        enqueue(uow.session, notices, now=now)
        uow.commit()
        return _view(row)


def record_comment(uow: UnitOfWork, *, ticket_ref: str, user_id: str, comment: str, support: SupportConfig,
                   settings: SatisfactionSettings, now: datetime, message: Message | None = None) -> Survey:
    """The reporter's comment (optional: an empty one changes nothing). The first is kept.
    A comment on a low score follows the score to the leads."""
    text = comment.strip()
    if len(text) > SATISFACTION_COMMENT.max_length:
        raise SatisfactionError("comment too long", code="csat_comment_too_long", ref=ticket_ref,
                                limit=SATISFACTION_COMMENT.max_length)
    with uow:
        row = _answerable(uow.session, ticket_ref, user_id, support)
        if not text:
            return _view(row)
        written = uow.session.execute(update(SurveyRow).where(SurveyRow.id == row.id, SurveyRow.comment.is_(None))
                                      .values(comment=text, commented_at=now)).rowcount
        if written != 1:
            uow.session.refresh(row)
            raise SatisfactionError("already commented", code="csat_comment_already", ref=ticket_ref,
                                    at=row.commented_at.isoformat() if row.commented_at else "")
        uow.session.refresh(row)
        notices = []
        if message is not None:
            notices.append(_answered(row, message, "comment", now))
        if row.score is not None and settings.is_low(row.score):
            notices.append(Notification(key=f"csat:{row.ticket_ref}:low:comment",
                                        address=EscalationRung(rung=Rung.LEADS), due_at=now, ticket_id=row.ticket_id,
                                        payload=SatisfactionLow(ref=row.ticket_ref, score=row.score,
                                                                with_comment=True)))
        enqueue(uow.session, notices, now=now)
        uow.commit()
        return _view(row)


def _row(session: Session, ticket_ref: str) -> SurveyRow:
    row = session.scalar(select(SurveyRow).where(SurveyRow.ticket_ref == ticket_ref))
    if row is None:
        raise SatisfactionError(f"no satisfaction survey for {ticket_ref}", code="csat_not_found", ref=ticket_ref)
    return row


def _answerable(session: Session, ticket_ref: str, user_id: str, support: SupportConfig) -> SurveyRow:
    row = _row(session, ticket_ref)
    actor = Actor(user_id=user_id, ticket_ref=ticket_ref,
                  roles=roles_of(user_id, support=support, account_id=row.account_id, reporter_id=row.reporter_id))
    authorize(actor, Capability.ANSWER_SATISFACTION)
    return row


def _already(row: SurveyRow) -> SatisfactionError:
    return SatisfactionError(f"already answered {row.score}", code="csat_already_answered", ref=row.ticket_ref,
                             score=row.score, at=row.answered_at.isoformat() if row.answered_at else "")


def _answered(row: SurveyRow, message: Message, step: str, now: datetime) -> Notification:
    channel, ts = message
    return Notification(key=f"csat:{row.ticket_ref}:answered:{step}", address=ClickedMessage(channel=channel, ts=ts),
                        payload=SatisfactionAnswered(ref=row.ticket_ref, step=step), due_at=now,
                        ticket_id=row.ticket_id)
