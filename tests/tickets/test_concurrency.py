"""Concurrency with real threads: one acknowledgement wins, references stay distinct and
sequential, a double submission racing itself makes one ticket."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from sla_core.persistence.uow import UnitOfWork
from sla_core.tickets import AlreadyDone, service
from tests.tickets.conftest import AGENT, AGENT2, T0
from tests.tickets.helpers import open_one


def race(workers: list[Callable[[], Any]]) -> list[Any]:
    """Start every worker at the same instant; each result is a value or an exception."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = workers[i]()
        except Exception as exc:  # noqa: BLE001 — the test inspects it
            results[i] = exc
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_the_version_guard_refuses_a_write_based_on_a_stale_read(db_engine, policy, support) -> None:
    if db_engine.dialect.name == "sqlite":
        pytest.skip("SQLite transactions take the write lock up front (BEGIN IMMEDIATE): no stale write")
    ref = open_one(UnitOfWork(db_engine), policy=policy, support=support).ref
    with UnitOfWork(db_engine) as first, UnitOfWork(db_engine) as second:
        row1 = first.tickets.get_by_ref(ref)
        row2 = second.tickets.get_by_ref(ref)
        assert row1 is not None and row2 is not None and row1.version == row2.version == 1
        assert first.tickets.update_if_version(row1.id, 1, {"status": "acknowledged"})
        first.commit()
        assert not second.tickets.update_if_version(row2.id, 1, {"status": "acknowledged"})


@pytest.mark.parametrize("attempt", range(5))
def test_two_agents_acknowledging_at_once_exactly_one_wins(attempt, db_engine, policy, support) -> None:
    ref = open_one(UnitOfWork(db_engine), policy=policy, support=support).ref
    now = T0 + timedelta(minutes=5)

    def ack(agent: str) -> Callable[[], Any]:
        return lambda: service.acknowledge(UnitOfWork(db_engine), policy=policy, support=support, ticket_ref=ref,
                                           actor_id=agent, channel="phone", note="", now=now)
    results = race([ack(AGENT), ack(AGENT2)])
    wins = [r for r in results if not isinstance(r, Exception)]
    losses = [r for r in results if isinstance(r, Exception)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], AlreadyDone)
    assert losses[0].params["by"] == wins[0].new_events[0].actor_id
    assert f"<@{wins[0].new_events[0].actor_id}>" in str(losses[0])
    assert [e.type.value for e in wins[0].events] == ["opened", "acknowledged"]


def test_concurrent_openings_get_distinct_sequential_references(db_engine, policy, support) -> None:
    def opener(i: int) -> Callable[[], Any]:
        return lambda: [open_one(UnitOfWork(db_engine), policy=policy, support=support).ref for _ in range(4)]
    results = race([opener(i) for i in range(6)])
    assert not [r for r in results if isinstance(r, Exception)], results
    refs = sorted(ref for batch in results for ref in batch)
    assert refs == [f"INC-2026-{n:06d}" for n in range(1, 25)]


def test_a_double_submission_racing_itself_makes_one_ticket(db_engine, policy, support) -> None:
    results = race([lambda: open_one(UnitOfWork(db_engine), policy=policy, support=support, key="V42")
                    for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.ref for r in results}) == 1
    with UnitOfWork(db_engine) as uow:
        assert uow.tickets.count() == 1
