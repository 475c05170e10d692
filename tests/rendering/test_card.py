"""One ticket, one description: the root post, /incident status and list, the Home and
the intake confirmation word a status and the SLA clocks the same way."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.rendering import render_root, render_thread_event
from bot.rendering.blocks import SECTION_TEXT_MAX
from bot.rendering.labels import clock_line, status_name
from bot.views.home import home_view
from bot.views.tickets import list_entry, status_answer
from messages import keys
from sla_core.clocks import ClockKind, ClockState, ClockStatus
from sla_core.policy import Policy
from sla_core.tickets import Status, service
from tests.rendering.conftest import Desk
from tests.tickets.conftest import AGENT

PARIS = ZoneInfo("Europe/Paris")
DUE = datetime(2026, 11, 23, 14, 0, tzinfo=PARIS)
LIMIT = datetime(2026, 11, 25, 14, 0, tzinfo=PARIS)
LANGUAGES = ("en", "fr")
LATEST = " (at the latest Wed 25 Nov 14:00 CET)"


def root_parts(ticket, language: str, desk: Desk) -> tuple[str, list[str]]:
    """The status and the clock lines the root post shows."""
    blocks = render_root(ticket, lang=language, policy=desk.policy, support=desk.support).blocks
    cells = [f["text"] for b in blocks for f in b.get("fields", [])]
    [status] = [c.split("\n", 1)[1] for c in cells if c.startswith(("*Status*", "*Statut*"))]
    [clocks] = [b["elements"][0]["text"] for b in blocks if b["type"] == "context"]
    return status, clocks.split("\n")[1:]


def status_parts(ticket, language: str, desk: Desk) -> tuple[str, list[str]]:
    """The status and the clock lines ``/incident status`` answers."""
    _line, status_line, *clocks = status_answer(ticket, policy=desk.policy, language=language).split("\n")
    return re.sub(r"^(Status: |Statut : )", "", status_line), clocks


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", list(Status), ids=[s.value for s in Status])
def test_the_channel_and_incident_status_describe_a_ticket_the_same_way(status: Status, language: str,
                                                                         desk: Desk) -> None:
    ticket = desk.ticket(status)
    assert root_parts(ticket, language, desk) == status_parts(ticket, language, desk)
    assert root_parts(ticket, language, desk)[0] == status_name(status, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_breached_ticket_reads_the_same_in_the_channel_and_in_incident_status(language: str, desk: Desk) -> None:
    ticket = desk.ticket(Status.OPENED, later=timedelta(days=3))  # the callback is long breached
    assert ticket.breached
    assert root_parts(ticket, language, desk) == status_parts(ticket, language, desk)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_list_and_the_home_show_the_status_as_the_channel_does(language: str, desk: Desk) -> None:
    ticket = desk.ticket(Status.WAITING_ON_CUSTOMER)
    label = status_name(Status.WAITING_ON_CUSTOMER, language)
    assert label == root_parts(ticket, language, desk)[0]
    assert label in list_entry(ticket, policy=desk.policy, language=language)
    home = home_view(language=language, preference=None, queue=[ticket], mine=None, policy=desk.policy)
    assert label in json.dumps(home, ensure_ascii=False)


def test_every_status_has_its_words_in_both_languages_and_nowhere_else() -> None:
    for language in LANGUAGES:
        assert {k for k in keys(language) if k.startswith("status.")} == {f"status.{s.value}" for s in Status}
        assert not {k for k in keys(language) if re.search(r"\.status\.(opened|in_progress|closed)$", k)}


def clock(state: ClockStatus, *, paused: bool = False, stopped: bool = False) -> ClockState:
    return ClockState(kind=ClockKind.RESOLUTION, state=state, due=DUE, limit=LIMIT, paused=paused,
                      stopped_at=DUE if stopped else None)


@pytest.mark.parametrize(("state", "expected"), [
    (clock(ClockStatus.RUNNING), "Resolution: running, due Mon 23 Nov 14:00 CET" + LATEST),
    (clock(ClockStatus.BREACHED), "Resolution: breached, due Mon 23 Nov 14:00 CET" + LATEST),
    (clock(ClockStatus.BREACHED, stopped=True), "Resolution: breached, due Mon 23 Nov 14:00 CET"),
    (clock(ClockStatus.BREACHED, paused=True), "Resolution: breached, paused, due Mon 23 Nov 14:00 CET"),
    (clock(ClockStatus.PAUSED, paused=True), "Resolution: paused"),
    (ClockState(kind=ClockKind.RESOLUTION, state=ClockStatus.RUNNING, due=DUE, limit=DUE),
     "Resolution: running, due Mon 23 Nov 14:00 CET"),
    (clock(ClockStatus.MET, stopped=True), "Resolution: met"),
    (clock(ClockStatus.STOPPED, stopped=True), "Resolution: stopped"),
    (ClockState(kind=ClockKind.UPDATE, state=ClockStatus.NOT_STARTED), "Update: not started"),
], ids=["running", "breached-running", "breached-stopped", "breached-then-paused", "paused", "limit-is-the-due",
        "met", "stopped", "not-started"])
def test_a_clock_line_shows_a_due_instant_only_while_one_is_raced_against(state: ClockState, expected: str,
                                                                          policy: Policy) -> None:
    shown = re.sub(r"<!date\^\d+\^[^|]*\|([^>]*)>", r"\1", clock_line(state, "en", policy))  # token → fallback
    assert shown == expected


def test_an_update_too_long_for_slack_is_cut_without_breaking_an_escape(desk: Desk) -> None:
    ref = desk.ticket(Status.ACKNOWLEDGED).ref
    at = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
    for offset in range(4):  # wherever the cut falls, never inside "&amp;", "&lt;" or "&gt;"
        at += timedelta(minutes=5)
        service.post_update(desk.uow, policy=desk.policy, support=desk.support, ticket_ref=ref, actor_id=AGENT,
                            now=at, text="x" * offset + "R&D <team>" * 235)  # within the 2,400 typed, over 3,000 escaped
        ticket = desk.read(ref, at)
        text = render_thread_event(ticket, ticket.events[-1], lang="en", policy=desk.policy).blocks[0]["text"]["text"]
        assert len(text) <= SECTION_TEXT_MAX and text.endswith("…")
        assert not re.search(r"&(?!(?:amp|lt|gt);)", text.removesuffix("…")), text[-12:]


def test_a_home_with_both_lists_stays_within_100_blocks_and_says_how_many_more(desk: Desk) -> None:
    ticket = desk.ticket(Status.OPENED)
    home = home_view(language="en", preference=None, queue=[ticket] * 45, mine=[ticket] * 45, policy=desk.policy,
                     on_call="On call: someone")
    assert len(home["blocks"]) <= 100
    more = [e["text"] for b in home["blocks"] if b["type"] == "context" for e in b["elements"] if "more" in e["text"]]
    assert len(more) == 2 and all(re.fullmatch(r"… and \d+ more\.", m) for m in more)
