"""A button whose action a colleague has already done is refused at the click: ephemerally,
naming who did it and when, and no modal opens (issue 13, item 3)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine

from bot.rendering.ticket_root import render_root
from sla_core.tickets import Status
from tests.slack_e2e.conftest import ADMIN, AGENT, AGENT2, Desk
from tests.slack_e2e.test_reads_per_click import ticket_reads
from tests.statement_log import watching_statements


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


# ----- buttons as rendered: they carry the status they were shown in -------------------------
def _rendered_value(desk: Desk, ref: str, action_id: str) -> str:
    """The value Slack sends back for ``action_id`` on the ticket's root post as rendered now."""
    root = render_root(desk.ticket(ref), lang="en", policy=desk.ctx.policy, support=desk.ctx.support)
    values = {e["action_id"]: e["value"] for b in root.blocks if b["type"] == "actions" for e in b["elements"]}
    return str(values[action_id])


@contextmanager
def reading_threads(engine: Engine) -> Iterator[list[str]]:
    """The name of the thread making each SELECT on ``tickets``: the ack runs on the
    server's request thread, the work after it on ``AfterAck``'s ``after-ack`` threads."""
    names: list[str] = []

    def record(statement: str) -> None:
        if statement.lstrip().upper().startswith("SELECT") and " tickets" in statement:
            names.append(threading.current_thread().name)

    with watching_statements(engine, record):
        yield names


def test_an_agents_click_on_a_rendered_button_is_acked_before_the_ticket_is_read(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    value = _rendered_value(desk, ref, "ticket.acknowledge")
    before = len(desk.slack.views_opened())
    with ticket_reads(desk.ctx.engine) as reads, reading_threads(desk.ctx.engine) as threads:
        assert desk.click(AGENT, "ticket.acknowledge", value).status == 200
        view = desk.wait_for_view(before)
    assert view["callback_id"] == "modal.acknowledge" and view["private_metadata"] == ref
    assert reads == {"tickets": 1}  # still read once, after the ack
    assert len(threads) == 1 and threads[0].startswith("after-ack")


def test_a_rendered_button_made_stale_meanwhile_is_refused_after_the_ack_naming_who_and_when(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    shown_before = _rendered_value(desk, ref, "ticket.acknowledge")  # the root post before AGENT acts
    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""}).status == 200
    with ticket_reads(desk.ctx.engine) as reads:
        text = _refused_at_click(desk, AGENT2, "ticket.acknowledge", shown_before)
    assert f"<@{AGENT}>" in text and "<!date^" in text and "déjà" in text  # AGENT2 reads French
    assert reads == {"tickets": 1, "ticket_events": 1}
    assert [e.type.value for e in desk.ticket(ref).events].count("acknowledged") == 1


def test_a_customer_sending_an_agent_buttons_value_is_still_refused_in_the_ack(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    text = _refused_at_click(desk, ADMIN, "ticket.update", _rendered_value(desk, ref, "ticket.update"))
    assert text and "<@" not in text
