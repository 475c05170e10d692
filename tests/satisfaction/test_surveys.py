"""Satisfaction surveys in the domain, on SQLite and PostgreSQL, with explicit instants:
asked once when a resolution is accepted (by the reporter or after their silence), never
twice in the fatigue window (counted in real time, across the autumn DST change), the first
answer kept, low scores told to the leads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from sla_core.authorization import NotAuthorized
from sla_core.config.satisfaction import SatisfactionSettings
from sla_core.outbox.ticket_notices import write_notices
from sla_core.outbox.models import OutboxRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.satisfaction import SatisfactionError, ask, get_survey, record_comment, record_score, survey_hook
from sla_core.tickets import SupportConfig
from sla_core.tickets.service import (
    accept_resolution, acknowledge, auto_accept_due, open_ticket, propose_resolution,
)
from tests.tickets.conftest import ADMIN, AGENT, PARIS, REPORTER, a_form

SETTINGS = SatisfactionSettings()  # enabled, once per 30 days, 1 and 2 are low
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def desk_uow(engine: Engine, settings: SatisfactionSettings = SETTINGS) -> UnitOfWork:
    """The unit of work the bot uses: ticket notices and the survey hook before commit."""
    return UnitOfWork(engine, before_commit=[write_notices, survey_hook(settings)])


def resolved(engine: Engine, policy: Policy, support: SupportConfig, at: datetime, *, reporter: str = REPORTER,
             accept: bool = True) -> str:
    """A ticket opened at ``at``, acknowledged, a fix proposed, accepted by its reporter an hour later."""
    ref = open_ticket(desk_uow(engine), policy=policy, support=support, reporter_id=reporter, form=a_form(),
                      idempotency_key=None, now=at).ref
    common = dict(policy=policy, support=support, ticket_ref=ref)
    acknowledge(desk_uow(engine), actor_id=AGENT, channel="phone", now=at + timedelta(minutes=10), **common)
    propose_resolution(desk_uow(engine), actor_id=AGENT, kind="fix", text="patched",
                       now=at + timedelta(minutes=30), **common)
    if accept:
        accept_resolution(desk_uow(engine), actor_id=reporter, now=at + timedelta(hours=1), **common)
    return ref


@dataclass(frozen=True)
class Owed:
    key: str
    audience: str
    payload: dict[str, object]


def outbox(engine: Engine, kind: str) -> list[Owed]:
    with UnitOfWork(engine) as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id))
        return [Owed(r.key, r.audience, dict(r.payload)) for r in rows]


def test_an_accepted_resolution_asks_its_reporter_once_in_their_dm(db_engine, policy, support) -> None:
    ref = resolved(db_engine, policy, support, MONDAY)
    survey = get_survey(UnitOfWork(db_engine), ticket_ref=ref)
    assert (survey.reporter_id, survey.agent_id, survey.severity, survey.account_id) == (REPORTER, AGENT, "important",
                                                                                       "acme")
    assert survey.asked_at == MONDAY + timedelta(hours=1) and survey.score is None
    [asked] = outbox(db_engine, "satisfaction_ask")
    assert (asked.key, asked.audience) == (f"csat:{ref}:ask", "reporter")


def test_an_auto_accepted_resolution_asks_at_the_instant_it_took_effect(db_engine, policy, support) -> None:
    ref = resolved(db_engine, policy, support, MONDAY, accept=False)  # proposed Monday 10:30, then silence
    later = MONDAY + timedelta(days=14)
    assert [t.ref for t in auto_accept_due(desk_uow(db_engine), policy=policy, now=later)] == [ref]
    survey = get_survey(UnitOfWork(db_engine), ticket_ref=ref)
    assert MONDAY < survey.asked_at < later  # five business days after the proposal, not the tick's instant
    assert len(outbox(db_engine, "satisfaction_ask")) == 1


# The fatigue window is real time: 30 days after Tuesday 20 October 2026 10:00 CEST
# (08:00 UTC) is Thursday 19 November 09:00 CET, across the change back to winter time.
FIRST = datetime(2026, 10, 20, 10, 0, tzinfo=PARIS)


@pytest.mark.parametrize(("second", "asked"), [
    pytest.param(datetime(2026, 11, 19, 8, 59, tzinfo=PARIS), False, id="a minute before, across DST"),
    pytest.param(datetime(2026, 11, 19, 9, 0, tzinfo=PARIS), True, id="exactly 30 days of 24 h later"),
])
def test_a_reporter_is_asked_at_most_once_per_period(db_engine, policy, support, second, asked) -> None:
    one = resolved(db_engine, policy, support, FIRST, accept=False)
    two = resolved(db_engine, policy, support, FIRST + timedelta(days=1), accept=False)
    with UnitOfWork(db_engine) as uow:
        assert len(ask(uow.session, ticket_ref=one, settings=SETTINGS, at=FIRST)) == 1
        uow.commit()
    with UnitOfWork(db_engine) as uow:
        assert bool(ask(uow.session, ticket_ref=two, settings=SETTINGS, at=second)) is asked
        uow.commit()
    with UnitOfWork(db_engine) as uow:  # the same ticket is never asked twice
        assert ask(uow.session, ticket_ref=one, settings=SETTINGS, at=FIRST + timedelta(days=400)) == []


def test_another_reporter_is_not_held_by_someone_elses_survey(db_engine, policy, support) -> None:
    resolved(db_engine, policy, support, MONDAY)
    other = resolved(db_engine, policy, support, MONDAY + timedelta(days=1), reporter=ADMIN)
    assert get_survey(UnitOfWork(db_engine), ticket_ref=other).reporter_id == ADMIN


def test_no_survey_when_satisfaction_is_off(db_engine, policy, support) -> None:
    off = SatisfactionSettings(enabled=False)
    ref = open_ticket(desk_uow(db_engine, off), policy=policy, support=support, reporter_id=REPORTER, form=a_form(),
                      idempotency_key=None, now=MONDAY).ref
    with UnitOfWork(db_engine) as uow:
        assert ask(uow.session, ticket_ref=ref, settings=off, at=MONDAY) == []
    with pytest.raises(SatisfactionError) as missing:
        get_survey(UnitOfWork(db_engine), ticket_ref=ref)
    assert missing.value.code == "csat_not_found"


def test_the_first_score_is_kept_and_a_second_names_it(db_engine, policy, support) -> None:
    ref = resolved(db_engine, policy, support, MONDAY)
    at = MONDAY + timedelta(hours=2)
    answer = dict(ticket_ref=ref, user_id=REPORTER, support=support, settings=SETTINGS)
    assert record_score(UnitOfWork(db_engine), score=4, now=at, message=("D0REP", "1.2"), **answer).score == 4
    with pytest.raises(SatisfactionError) as again:
        record_score(UnitOfWork(db_engine), score=1, now=at + timedelta(seconds=1), **answer)
    assert again.value.code == "csat_already_answered" and again.value.params["score"] == 4
    survey = get_survey(UnitOfWork(db_engine), ticket_ref=ref)
    assert (survey.score, survey.answered_at) == (4, at)
    [edit] = outbox(db_engine, "satisfaction_answered")
    assert edit.audience == "clicked:D0REP:1.2"
    assert outbox(db_engine, "satisfaction_low") == []  # 4 is not low


def test_only_the_reporter_answers_and_only_from_1_to_5(db_engine, policy, support) -> None:
    ref = resolved(db_engine, policy, support, MONDAY)
    answer = dict(ticket_ref=ref, support=support, settings=SETTINGS, now=MONDAY + timedelta(hours=2))
    with pytest.raises(NotAuthorized) as refused:
        record_score(UnitOfWork(db_engine), user_id=ADMIN, score=5, **answer)  # same account, not the reporter
    assert refused.value.code == "csat_not_yours"
    with pytest.raises(SatisfactionError) as bad:
        record_score(UnitOfWork(db_engine), user_id=REPORTER, score=6, **answer)
    assert bad.value.code == "csat_bad_score"
    assert get_survey(UnitOfWork(db_engine), ticket_ref=ref).score is None


def test_a_low_score_and_its_comment_go_to_the_leads(db_engine, policy, support) -> None:
    ref = resolved(db_engine, policy, support, MONDAY)
    answer = dict(ticket_ref=ref, user_id=REPORTER, support=support, settings=SETTINGS)
    record_score(UnitOfWork(db_engine), score=2, now=MONDAY + timedelta(hours=2), **answer)
    record_comment(UnitOfWork(db_engine), comment="  Took <far> too long & nobody called.  ",
                   now=MONDAY + timedelta(hours=3), **answer)
    low = outbox(db_engine, "satisfaction_low")
    assert [(r.audience, r.payload["score"], r.payload["with_comment"]) for r in low] == [
        ("rung:leads", 2, False), ("rung:leads", 2, True)]
    survey = get_survey(UnitOfWork(db_engine), ticket_ref=ref)
    assert survey.comment == "Took <far> too long & nobody called."  # stored as written; escaped when shown
    with pytest.raises(SatisfactionError) as again:
        record_comment(UnitOfWork(db_engine), comment="second thoughts", now=MONDAY + timedelta(hours=4), **answer)
    assert again.value.code == "csat_comment_already"
    with pytest.raises(SatisfactionError) as long:
        record_comment(UnitOfWork(db_engine), comment="x" * 2001, now=MONDAY + timedelta(hours=4), **answer)
    assert long.value.code == "csat_comment_too_long"
