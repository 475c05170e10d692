"""A button click reads the ticket once: its row in one statement (and, when the button
acts at once, its log in one more), and replays the log through the clock engine at most
once. Counted as the SELECTs on the ticket tables while Slack's request is handled and its
after-ack work (opening the modal) runs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy.engine import Engine

import sla_core.tickets.records as records
from tests.slack_e2e.conftest import ADMIN, AGENT, Desk
from tests.statement_log import watching_statements

_TABLE = re.compile(r"^\s*SELECT\b.*?\bFROM\s+(tickets|ticket_events)\b", re.IGNORECASE | re.DOTALL)


@contextmanager
def ticket_reads(engine: Engine) -> Iterator[Counter[str]]:
    """Counts the SELECTs on ``tickets`` and ``ticket_events`` made through ``engine``
    (and the pool its single-statement reads go through)."""
    reads: Counter[str] = Counter()

    def count(statement: str) -> None:
        match = _TABLE.match(statement)
        if match:
            reads[match.group(1).lower()] += 1

    with watching_statements(engine, count):
        yield reads


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per run of the clock engine over a ticket's log."""
    runs: list[int] = []
    engine = records.compute_clocks

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(len(kwargs.get("events", ())))
        return engine(*args, **kwargs)
    monkeypatch.setattr(records, "compute_clocks", counted)
    return runs


def proposed(desk: Desk) -> str:
    ref = desk.report(ADMIN).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "patched"})
    return ref


@pytest.mark.parametrize(("user", "button"), [(ADMIN, "reporter.reject"), (AGENT, "ticket.update")],
                         ids=["customer-checked-in-the-ack", "agent-checked-by-role"])
def test_a_button_opening_a_modal_reads_the_ticket_row_once(desk: Desk, replays: list[int], user: str,
                                                             button: str) -> None:
    ref = proposed(desk)
    replays.clear()
    before = len(desk.slack.views_opened())
    with ticket_reads(desk.ctx.engine) as reads:
        assert desk.click(user, button, ref).status == 200
        view = desk.wait_for_view(before)
    assert view["private_metadata"] == ref
    assert reads == {"tickets": 1}
    assert replays == []


def test_a_button_acting_at_once_reads_the_ticket_and_its_log_once_and_replays_it_once(
        desk: Desk, replays: list[int]) -> None:
    ref = proposed(desk)
    replays.clear()
    with ticket_reads(desk.ctx.engine) as reads:
        assert desk.click(ADMIN, "reporter.accept", ref).status == 200
    assert desk.ticket(ref).status.value == "resolved"
    assert reads == {"tickets": 1, "ticket_events": 1}
    # The pending proposal's silence is a clock: settling it is the one replay.
    assert len(replays) == 1
