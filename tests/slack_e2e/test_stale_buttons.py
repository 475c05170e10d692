"""A button whose action a colleague has already done is refused at the click: ephemerally,
naming who did it and when, and no modal opens (issue 13, item 3)."""

from __future__ import annotations

from typing import Any

from sla_core.tickets import Status
from tests.slack_e2e.conftest import ADMIN, AGENT, AGENT2, Desk
from tests.slack_e2e.test_reads_per_click import ticket_reads


def _refused_at_click(desk: Desk, user: str, button: str, ref: str) -> str:
    opened = len(desk.slack.views_opened())
    response = desk.click(user, button, ref)
    assert response.status == 200
    answers: list[Any] = desk.slack.wait_for(lambda: desk.slack.responses(response.response_url_name))
    assert answers[0].response_type == "ephemeral" and answers[0].body.get("replace_original") is False
    assert len(desk.slack.views_opened()) == opened  # no modal
    return str(answers[0].body["text"])


def test_a_second_agents_acknowledge_is_refused_at_the_click_naming_who_and_when(desk_on: Desk) -> None:
    desk = desk_on
    ref = desk.report(ADMIN).ref
    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""}).status == 200
    text = _refused_at_click(desk, AGENT2, "ticket.acknowledge", ref)
    assert f"<@{AGENT}>" in text and "<!date^" in text and "déjà" in text  # AGENT2 reads French
    assert [e.type.value for e in desk.ticket(ref).events].count("acknowledged") == 1


def test_a_stale_propose_names_the_colleague_who_proposed(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    desk.act(AGENT2, "ticket.propose", ref, {"kind": "fix", "text": "patched"})
    text = _refused_at_click(desk, AGENT, "ticket.propose", ref)
    assert f"<@{AGENT2}>" in text and "<!date^" in text and "already" in text
    assert desk.ticket(ref).status is Status.RESOLUTION_PROPOSED


def test_a_button_no_longer_allowed_says_why_without_a_name(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref  # not acknowledged: nobody did anything, the status says why
    text = _refused_at_click(desk, AGENT, "ticket.propose", ref)
    assert "not acknowledged yet" in text and "<@" not in text


def test_the_refusal_reads_the_row_and_one_event(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    with ticket_reads(desk.ctx.engine) as reads:
        _refused_at_click(desk, AGENT2, "ticket.acknowledge", ref)
    assert reads == {"tickets": 1, "ticket_events": 1}
