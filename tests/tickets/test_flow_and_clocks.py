"""A ticket's life end to end; its clocks derived from the stored log equal the engine's
answer for the same events; next_due_at follows every event; the outbox hook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import user_message

from sla_core.clocks import ClockEvent, EventType, compute_clocks
from sla_core.persistence.uow import UnitOfWork
from sla_core.config import load_config
from sla_core.scheduler.tick import run_tick
from sla_core.severity import Severity
from sla_core.tickets import (
    AlreadyDone, IllegalTransition, MissingReason, Status, agent_queue, auto_accept_due, get_ticket,
    list_open_for_reporter, service,
)
from tests.conftest import REPO
from tests.tickets.conftest import AGENT, AGENT2, PARIS, REPORTER, T0
from tests.tickets.helpers import open_one


def at(hhmm: str, day: int = 23) -> datetime:
    h, m, *s = map(int, hhmm.split(":"))
    return datetime(2026, 11, day, h, m, *s, tzinfo=PARIS)


def test_clocks_of_a_stored_ticket_equal_the_engine_fed_the_same_events(uow, policy, support) -> None:
    kw = dict(policy=policy, support=support)
    ref = open_one(uow, severity="low", **kw).ref  # Mon 2026-11-23 10:00
    service.acknowledge(uow, **kw, ticket_ref=ref, actor_id=AGENT, channel="phone", note="ok", now=at("11:00"))
    service.add_internal_note(uow, **kw, ticket_ref=ref, actor_id=AGENT, text="looks like the cache", now=at("11:30"))
    service.set_waiting_on_customer(uow, **kw, ticket_ref=ref, actor_id=AGENT, question="logs?", now=at("12:00"))
    service.customer_replied(uow, **kw, ticket_ref=ref, actor_id=REPORTER, text="here", now=at("15:00", 24))
    service.change_severity(uow, **kw, ticket_ref=ref, actor_id=AGENT, severity=Severity.CRITICAL,
                            reason="all users hit", now=at("11:00", 25))
    service.post_update(uow, **kw, ticket_ref=ref, actor_id=AGENT, text="patch coming", now=at("11:30", 25))
    now = at("12:00", 25)
    stored = get_ticket(uow, policy=policy, ticket_ref=ref, now=now)
    expected = compute_clocks(policy, opened_at=T0, severity=Severity.LOW, now=now, events=[
        ClockEvent(at=at("11:00"), type=EventType.CALLBACK),
        ClockEvent(at=at("12:00"), type=EventType.WAITING_ON_CUSTOMER),
        ClockEvent(at=at("15:00", 24), type=EventType.CUSTOMER_REPLIED),
        ClockEvent(at=at("11:00", 25), type=EventType.SEVERITY_CHANGED, severity=Severity.CRITICAL),
        ClockEvent(at=at("11:30", 25), type=EventType.UPDATE),
    ])
    assert stored.clocks == expected
    assert stored.severity is Severity.CRITICAL and stored.status is Status.IN_PROGRESS
    assert [e.seq for e in stored.events] == list(range(1, 8))
    assert all(e.at.tzinfo is not None and e.at.utcoffset() == timedelta(0) for e in stored.events)
    assert stored.events[5].payload == {"from": "low", "to": "critical", "reason": "all users hit"}


def test_every_change_makes_the_ticket_due_for_planning_at_once(uow, policy, support) -> None:
    """A change is due *now* (the scheduler re-plans it on its next tick); once the tick
    has planned it, the column holds the plan's next instant."""
    kw = dict(policy=policy, support=support)
    config = load_config(REPO / "app.yaml").scheduling
    opened = open_one(uow, severity="critical", **kw)
    assert opened.next_due_at == T0
    assert run_tick(lambda: uow, policy=policy, config=config, now=T0).tickets == 1
    assert get_ticket(uow, policy=policy, ticket_ref=opened.ref, now=T0).next_due_at == at("10:45")  # 75 % warning
    acked = service.acknowledge(uow, **kw, ticket_ref=opened.ref, actor_id=AGENT, channel="slack", note="",
                                now=at("10:20"))
    assert acked.next_due_at == at("10:20")
    assert acked.assignee_id == AGENT
    run_tick(lambda: uow, policy=policy, config=config, now=at("10:20"))
    planned = get_ticket(uow, policy=policy, ticket_ref=opened.ref, now=at("10:20")).next_due_at
    assert planned == at("11:27:30")  # the update clock's warning: 75 % of 1 h 30 after the callback
    assert run_tick(lambda: uow, policy=policy, config=config, now=at("11:27:29")).tickets == 0
    assert run_tick(lambda: uow, policy=policy, config=config, now=at("11:27:30")).tickets == 1


def test_a_resolution_left_unanswered_is_accepted_when_the_silence_runs_out(uow, policy, support) -> None:
    kw = dict(policy=policy, support=support)
    ref = open_one(uow, **kw).ref
    service.acknowledge(uow, **kw, ticket_ref=ref, actor_id=AGENT, channel="email", note="", now=at("10:30"))
    proposed = service.propose_resolution(uow, **kw, ticket_ref=ref, actor_id=AGENT, kind="workaround",
                                          text="restart the worker", now=at("11:00"))
    due = proposed.clocks.auto_accept_at
    assert due is not None and proposed.next_due_at == at("11:00")
    run_tick(lambda: uow, policy=policy, config=load_config(REPO / "app.yaml").scheduling, now=at("11:00"))
    assert get_ticket(uow, policy=policy, ticket_ref=ref, now=at("11:00")).next_due_at == due
    assert auto_accept_due(uow, policy=policy, now=due - timedelta(seconds=1)) == []
    [accepted] = auto_accept_due(uow, policy=policy, now=due + timedelta(hours=3))
    assert accepted.status is Status.RESOLVED and accepted.resolved_at == due
    assert accepted.new_events[-1].type.value == "resolution_auto_accepted"
    assert accepted.new_events[-1].at == due and accepted.next_due_at is None
    assert auto_accept_due(uow, policy=policy, now=due + timedelta(hours=4)) == []
    with pytest.raises(AlreadyDone) as late:
        service.accept_resolution(uow, **kw, ticket_ref=ref, actor_id=REPORTER, now=due + timedelta(hours=5))
    assert "was already accepted as resolved by <@system> at" in user_message(late.value, "en")


def test_reject_needs_a_reason_and_resumes_work(uow, policy, support) -> None:
    kw = dict(policy=policy, support=support)
    ref = open_one(uow, **kw).ref
    service.acknowledge(uow, **kw, ticket_ref=ref, actor_id=AGENT, channel="email", note="", now=at("10:30"))
    service.propose_resolution(uow, **kw, ticket_ref=ref, actor_id=AGENT, kind="fix", text="x", now=at("11:00"))
    with pytest.raises(MissingReason):
        service.reject_resolution(uow, **kw, ticket_ref=ref, actor_id=REPORTER, reason="  ", now=at("11:30"))
    view = service.reject_resolution(uow, **kw, ticket_ref=ref, actor_id=REPORTER, reason="no", now=at("11:30"))
    assert view.status is Status.IN_PROGRESS


def test_a_severity_change_needs_a_reason(uow, policy, support) -> None:
    ref = open_one(uow, policy=policy, support=support).ref
    with pytest.raises(MissingReason) as refused:
        service.change_severity(uow, policy=policy, support=support, ticket_ref=ref, actor_id=AGENT,
                                severity=Severity.LOW, reason="", now=at("10:30"))
    assert refused.value.code == "reason_required"


def test_reopen_is_allowed_only_within_the_configured_time(uow, policy, support) -> None:
    kw = dict(policy=policy, support=support)
    ref = open_one(uow, **kw).ref
    service.acknowledge(uow, **kw, ticket_ref=ref, actor_id=AGENT, channel="email", note="", now=at("10:30"))
    service.propose_resolution(uow, **kw, ticket_ref=ref, actor_id=AGENT, kind="fix", text="x", now=at("11:00"))
    service.accept_resolution(uow, **kw, ticket_ref=ref, actor_id=REPORTER, now=at("11:30"))
    # 10 business days after Mon 23 Nov 11:30 is Mon 7 Dec 11:30.
    with pytest.raises(IllegalTransition) as refused:
        service.reopen(uow, **kw, ticket_ref=ref, actor_id=REPORTER, reason="back", now=datetime(2026, 12, 7, 11, 31, tzinfo=PARIS))
    assert refused.value.code == "reopen_window_passed"
    view = service.reopen(uow, **kw, ticket_ref=ref, actor_id=REPORTER, reason="back",
                          now=datetime(2026, 12, 7, 11, 30, tzinfo=PARIS))
    assert view.status is Status.IN_PROGRESS and view.resolved_at is None
    assert view.clocks.resolution.stopped_at is None


def test_queues_list_open_tickets_breached_first(uow, policy, support) -> None:
    kw = dict(policy=policy, support=support)
    late = open_one(uow, severity="critical", **kw)
    fresh = open_one(uow, severity="low", now=at("14:00"), **kw)
    for ref in (late.ref, fresh.ref):
        service.acknowledge(uow, **kw, ticket_ref=ref, actor_id=AGENT2, channel="phone", note="", now=at("14:30"))
    now = at("17:00")  # the critical update clock (90 min) is breached by now
    queue = agent_queue(uow, policy=policy, agent_id=AGENT2, now=now)
    assert [v.ref for v in queue] == [late.ref, fresh.ref] and queue[0].breached
    assert [v.ref for v in list_open_for_reporter(uow, policy=policy, reporter_id=REPORTER, now=now)] == \
        [late.ref, fresh.ref]
    assert agent_queue(uow, policy=policy, agent_id=AGENT, now=now) == []


def test_events_reach_the_before_commit_hook_in_the_same_transaction(db_engine, policy, support) -> None:
    seen: list[tuple[str, ...]] = []

    def outbox(uow: UnitOfWork, events) -> None:
        assert uow.session.in_transaction()
        seen.append(tuple(e.type.value for e in events))
    uow = UnitOfWork(db_engine, before_commit=[outbox])
    view = open_one(uow, policy=policy, support=support)
    service.acknowledge(uow, policy=policy, support=support, ticket_ref=view.ref, actor_id=AGENT,
                        channel="phone", note="", now=at("10:10"))
    assert seen == [("opened",), ("acknowledged",)]
    assert [e.type.value for e in uow.collect_new_events()] == ["opened", "acknowledged"]
    assert uow.collect_new_events() == []


def test_a_failing_hook_rolls_everything_back(db_engine, policy, support) -> None:
    def broken(uow: UnitOfWork, events) -> None:
        raise RuntimeError("outbox down")
    with pytest.raises(RuntimeError):
        open_one(UnitOfWork(db_engine, before_commit=[broken]), policy=policy, support=support)
    with UnitOfWork(db_engine) as uow:
        assert uow.tickets.count() == 0


def test_instants_read_back_as_aware_utc(uow, policy, support) -> None:
    view = open_one(uow, policy=policy, support=support)
    stored = get_ticket(uow, policy=policy, ticket_ref=view.ref, now=T0)
    assert stored.opened_at == T0 and stored.opened_at.tzinfo is UTC
