"""The reporter's card, as pure rendering: its buttons follow the ticket's status and the
reopening window, and its commitments say what the clocks promise, in FR and EN."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.rendering.reporter_card import commitments, reporter_buttons, state_line
from sla_core.tickets import Status
from sla_core.tickets.actions import EventKind
from tests.rendering.conftest import Desk


def ids(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in blocks for e in b["elements"]]


@pytest.mark.parametrize(("status", "expected"), [
    (Status.OPENED, []), (Status.ACKNOWLEDGED, []), (Status.IN_PROGRESS, []),
    (Status.WAITING_ON_CUSTOMER, ["reporter.replied"]),
    (Status.RESOLUTION_PROPOSED, ["reporter.accept", "reporter.reject"]),
    (Status.CLOSED, []),
])
def test_the_card_offers_the_buttons_the_status_needs(desk: Desk, status: Status, expected: list[str]) -> None:
    # Whatever the status, the reporter may also ask for a root-cause analysis, last in the row.
    ticket = desk.ticket(status)
    assert ids(reporter_buttons(ticket, "en", reopen_until=None)) == [*expected, "reporter.rca"]


def test_the_rca_request_goes_once_asked_even_on_an_open_ticket(desk: Desk) -> None:
    ticket = desk.ticket(Status.WAITING_ON_CUSTOMER)
    asked = replace(ticket, events=(*ticket.events, replace(ticket.events[-1], type=EventKind.RCA_REQUESTED)))
    assert ids(reporter_buttons(asked, "en", reopen_until=None)) == ["reporter.replied"]


def test_reopen_shows_within_the_window_only(desk: Desk) -> None:
    ticket = desk.ticket(Status.RESOLVED)
    until = desk.support.reopen_deadline(desk.policy, ticket.resolved_at)
    assert ids(reporter_buttons(ticket, "fr", reopen_until=until, now=until)) == ["reporter.reopen", "reporter.rca"]
    # Past the window, only the request for a root-cause analysis is left.
    assert ids(reporter_buttons(ticket, "fr", reopen_until=until, now=until + timedelta(minutes=1))) == [
        "reporter.rca"]
    lines = commitments(ticket, "fr", desk.policy, reopen_until=until)
    assert any("vous pouvez le rouvrir jusqu'au" in line for line in lines)


@pytest.mark.parametrize(("lang", "paused"), [("en", "paused while we wait for your answer"),
                                              ("fr", "suspendus en attendant votre réponse")])
def test_waiting_on_the_reporter_promises_no_due_but_says_the_clocks_are_paused(desk: Desk, lang: str,
                                                                               paused: str) -> None:
    ticket = desk.ticket(Status.WAITING_ON_CUSTOMER)
    lines = commitments(ticket, lang, desk.policy, reopen_until=None)
    assert paused in lines[0]
    assert not any("update by" in line or "des nouvelles au plus tard" in line for line in lines)
    assert ("waiting for your answer" if lang == "en" else "en attente de votre réponse") in state_line(ticket, lang)
