"""Agents' buttons on the root post and the reporter's answers from their DM."""

from __future__ import annotations

from collections.abc import Callable

from sla_core.tickets import Status
from tests.slack_e2e.conftest import ADMIN, AGENT, AGENT2, END_USER, HOLDER, Desk, blocks_text


def acknowledged(desk: Desk) -> str:
    ref = desk.report(ADMIN).ref
    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "called back"}).status == 200
    return ref


def test_agent_buttons_open_the_right_modals(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    # Each button where its action is allowed (a stale one is refused: test_stale_buttons).
    steps: list[tuple[dict[str, str], Callable[[], object]]] = [
        ({"ticket.acknowledge": "modal.acknowledge", "ticket.severity": "modal.severity"},
         lambda: desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})),
        ({"ticket.update": "modal.update", "ticket.note": "modal.note", "ticket.waiting": "modal.waiting",
          "ticket.propose": "modal.propose"},
         lambda: desk.act(AGENT, "ticket.waiting", ref, {"question": "which version?"})),
        ({"ticket.customer_replied": "modal.customer_replied"},
         lambda: (desk.act(AGENT, "ticket.customer_replied", ref, {"text": "by phone"}),
                  desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "patched"}),
                  desk.click(ADMIN, "reporter.accept", ref))),
        ({"ticket.reopen": "modal.reopen"}, lambda: None),
    ]
    for expected, next_step in steps:
        for action_id, callback_id in expected.items():
            before = len(desk.slack.views_opened())
            assert desk.click(AGENT, action_id, ref).status == 200
            view = desk.wait_for_view(before)
            assert view["callback_id"] == callback_id and view["private_metadata"] == ref
            assert len(view["title"]["text"]) <= 24 and ref in blocks_text(view)
        next_step()
    severity = next(v for v in desk.slack.views_opened() if v["callback_id"] == "modal.severity")
    assert "critical" not in [o["value"] for o in severity["blocks"][1]["element"]["options"]]


def test_acknowledging_through_the_modal_changes_the_ticket(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    response = desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "called back"})
    assert response.status == 200 and not response.body  # the modal closes
    ticket = desk.ticket(ref)
    assert ticket.status is Status.ACKNOWLEDGED and ticket.assignee_id == AGENT
    assert ticket.events[-1].payload == {"channel": "phone", "note": "called back"}


def test_two_agents_acknowledging_one_wins_the_other_sees_who(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    before = len(desk.slack.views_opened())
    desk.click(AGENT, "ticket.acknowledge", ref)
    first = desk.wait_for_view(before)
    desk.click(AGENT2, "ticket.acknowledge", ref)
    second = desk.slack.wait_for(lambda: len(desk.slack.views_opened()) == before + 2 and desk.slack.views_opened()[-1])
    assert desk.submit(first, AGENT, {"channel": "email", "note": ""}).status == 200
    late = desk.submit(second, AGENT2, {"channel": "phone", "note": ""})
    assert late.body["response_action"] == "errors"
    (text,) = late.body["errors"].values()
    assert f"<@{AGENT}>" in text and "<!date^" in text  # who, and when (AGENT2 reads French)
    assert "déjà" in text
    ticket = desk.ticket(ref)
    assert ticket.assignee_id == AGENT and [e.type.value for e in ticket.events].count("acknowledged") == 1


def test_a_customer_pressing_an_agent_button_is_refused_ephemerally(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    response = desk.click(ADMIN, "ticket.acknowledge", ref)
    assert response.status == 200
    answers = desk.slack.wait_for(lambda: desk.slack.responses(response.response_url_name))
    assert answers[0].response_type == "ephemeral" and "Only support agents" in answers[0].body["text"]
    assert desk.slack.calls("views.open")[-1].params["view"]["callback_id"] == "modal.incident"  # no new modal
    assert desk.ticket(ref).status is Status.OPENED


def test_a_double_click_on_close_is_harmless(desk: Desk) -> None:
    ref = acknowledged(desk)
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "patched"})
    desk.click(ADMIN, "reporter.accept", ref)
    assert desk.click(AGENT, "ticket.close", ref).status == 200
    second = desk.click(AGENT2, "ticket.close", ref)
    answers = desk.slack.wait_for(lambda: desk.slack.responses(second.response_url_name))
    assert f"<@{AGENT}>" in answers[0].body["text"]
    assert desk.ticket(ref).status is Status.CLOSED


def test_the_reporter_accepts_a_resolution_from_their_dm(desk: Desk) -> None:
    ref = acknowledged(desk)
    desk.act(AGENT, "ticket.propose", ref, {"kind": "workaround", "text": "restart the pool"})
    assert desk.click(ADMIN, "reporter.accept", ref).status == 200
    assert desk.ticket(ref).status is Status.RESOLVED


def test_the_reporter_rejects_with_a_mandatory_reason(desk: Desk) -> None:
    ref = acknowledged(desk)
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "patched"})
    empty = desk.act(HOLDER, "reporter.reject", ref, {"reason": ""})
    assert empty.body["response_action"] == "errors" and "motif" in next(iter(empty.body["errors"].values()))
    assert desk.ticket(ref).status is Status.RESOLUTION_PROPOSED
    done = desk.act(HOLDER, "reporter.reject", ref, {"reason": "still failing"})
    assert done.status == 200 and not done.body
    assert desk.ticket(ref).status is Status.IN_PROGRESS


def test_an_end_user_cannot_accept(desk: Desk) -> None:
    ref = acknowledged(desk)
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "patched"})
    response = desk.click(END_USER, "reporter.accept", ref)
    answers = desk.slack.wait_for(lambda: desk.slack.responses(response.response_url_name))
    assert "ACME Corp" in answers[0].body["text"]
    assert desk.ticket(ref).status is Status.RESOLUTION_PROPOSED


def test_severity_change_needs_a_reason_and_moves_the_ticket(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    refused = desk.act(AGENT, "ticket.severity", ref, {"severity": "low", "reason": ""}).body
    assert refused["response_action"] == "errors"
    assert list(refused["errors"]) == ["reason"]  # shown under the reason, not the severity select
    assert desk.ticket(ref).severity.value == "critical"
    assert desk.act(AGENT, "ticket.severity", ref, {"severity": "low", "reason": "one user only"}).status == 200
    assert desk.ticket(ref).severity.value == "low"


def test_every_button_of_the_outbound_messages_has_a_listener(desk: Desk) -> None:
    from bot.rendering import action_ids

    ref = desk.report(ADMIN).ref
    for action_id in action_ids.ALL:
        response = desk.click(AGENT, action_id, ref)
        assert response.status == 200, action_id  # Bolt answers 404 to an action with no listener
    # ... and the one listener for all buttons does not swallow ids it does not serve
    assert desk.click(AGENT, "ticket.acknowledge_but_not_ours", ref).status == 404
