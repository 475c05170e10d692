""""How did we do?" over signed HTTP: asked once in the reporter's DM after they accept a
resolution; a score in one click, the first kept (a double click or a second score is
refused privately, naming it); a comment through a modal; a low score posted to the
leads; a second resolution within the fatigue window asks nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.delivery.sender import Sender
from bot.offline import payloads
from sla_core.satisfaction import get_survey
from tests.slack_e2e.conftest import ADMIN, AGENT, HOLDER, T0, Desk, blocks_text, buttons, deliver

LEADS = "C0SUPLEAD"


def resolved(desk: Desk, sender: Sender, reporter: str = ADMIN, **form: str) -> str:
    """A ticket reported, acknowledged, a fix proposed and accepted by its reporter."""
    ref = desk.report(reporter, **form).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "patched"})
    response = desk.timed(desk.sim.block_action, "reporter.accept", value=ref, user_id=reporter,
                          block_id="reporter_card_actions", message={"ts": "1700000000.000200", "text": "card"},
                          channel_id=desk.slack.dm_channel(reporter))
    assert response.status == 200
    deliver(sender)
    return ref


def surveys(desk: Desk, user: str) -> list[Any]:
    """The survey messages in ``user``'s DM (as they stand now: edits applied), by their notice key."""
    return [m for m in desk.slack.dm(user)
            if str(((m.metadata or {}).get("event_payload") or {}).get("key", "")).endswith(":ask")]


def press(desk: Desk, user: str, action_id: str, ref: str, message: Any) -> Any:
    response = desk.timed(desk.sim.block_action, action_id, value=ref, user_id=user, block_id="csat_actions",
                          message={"ts": message.ts, "text": message.text}, channel_id=message.channel)
    assert response.status == 200
    return response


def refusal(desk: Desk, response: Any) -> str:
    answers: list[Any] = desk.slack.wait_for(lambda: desk.slack.responses(response.response_url_name))
    assert answers[0].response_type == "ephemeral"
    return str(answers[0].body["text"])


def test_the_reporter_rates_in_one_click_and_the_survey_thanks_them_in_place(desk: Desk, sender: Sender) -> None:
    ref = resolved(desk, sender)
    [survey] = surveys(desk, ADMIN)
    assert "How did we do?" in blocks_text({"blocks": survey.blocks}) and ref in survey.text
    assert buttons(survey) == ["csat.score.1", "csat.score.2", "csat.score.3", "csat.score.4", "csat.score.5",
                               "csat.comment"]

    desk.clock.now = T0 + timedelta(hours=1)
    press(desk, ADMIN, "csat.score.4", ref, survey)
    deliver(sender)
    [survey] = surveys(desk, ADMIN)
    shown = blocks_text({"blocks": survey.blocks})
    assert survey.edits and "Thank you!" in shown and "4/5" in shown and buttons(survey) == ["csat.comment"]
    assert desk.slack.messages(LEADS) == []  # 4 is not a low score

    # A double click, or a change of mind: the first answer is kept and the refusal names it.
    again = press(desk, ADMIN, "csat.score.1", ref, survey)
    assert "You already rated" in refusal(desk, again) and "4/5" in refusal(desk, again)
    assert get_survey(desk.ctx.uow(), ticket_ref=ref).score == 4


def test_a_comment_through_the_modal_and_a_low_score_reach_the_leads(desk: Desk, sender: Sender) -> None:
    ref = resolved(desk, sender, HOLDER, language="fr")  # HOLDER reads French
    [survey] = surveys(desk, HOLDER)
    assert "Qu'avez-vous pensé de notre aide ?" in blocks_text({"blocks": survey.blocks})
    press(desk, HOLDER, "csat.score.2", ref, survey)
    deliver(sender)
    [low] = desk.slack.messages(LEADS)
    assert "Satisfaction basse" in low.text and "2/5" in low.text  # the channel speaks app.yaml's language
    assert f"<@{HOLDER}>" in low.text
    assert f"<@{AGENT}>" in low.text  # the agent who handled it

    before = len(desk.slack.views_opened())
    [survey] = surveys(desk, HOLDER)
    press(desk, HOLDER, "csat.comment", ref, survey)
    view = desk.wait_for_view(before)
    assert view["callback_id"] == "csat_comment" and view["title"]["text"] == "Votre commentaire"
    response = desk.submit(view, HOLDER, {"comment": "Trop long <b>& personne</b> n'a rappelé"})
    assert response.status == 200 and response.body in ("", None, {})  # the modal closes
    deliver(sender)
    [survey] = surveys(desk, HOLDER)
    shown = blocks_text({"blocks": survey.blocks})
    assert "Trop long &lt;b&gt;&amp; personne&lt;/b&gt; n'a rappelé" in shown and buttons(survey) == []
    leads = desk.slack.messages(LEADS)
    assert len(leads) == 2 and "&lt;b&gt;" in leads[1].text  # the comment follows the low score, escaped

    # A second comment (a modal kept open in another window) is refused inline; the first stays.
    second = desk.submit(view, HOLDER, {"comment": "finalement ça va"})
    assert second.body["response_action"] == "errors" and "premier" in second.body["errors"]["comment"]
    assert get_survey(desk.ctx.uow(), ticket_ref=ref).comment == "Trop long <b>& personne</b> n'a rappelé"


def test_only_the_reporter_can_answer(desk: Desk, sender: Sender) -> None:
    ref = resolved(desk, sender)
    [survey] = surveys(desk, ADMIN)
    refused = press(desk, HOLDER, "csat.score.5", ref, survey)  # another administrator of the account
    assert "Seul l'auteur du ticket" in refusal(desk, refused)
    assert get_survey(desk.ctx.uow(), ticket_ref=ref).score is None
    opened = len(desk.slack.views_opened())
    assert "Seul l'auteur du ticket" in refusal(desk, press(desk, HOLDER, "csat.comment", ref, survey))
    assert len(desk.slack.views_opened()) == opened  # no comment modal for them


def test_a_second_resolution_within_the_period_asks_nothing(desk: Desk, sender: Sender) -> None:
    resolved(desk, sender)
    desk.clock.now = T0 + timedelta(days=3)
    resolved(desk, sender, title="Export is slow")
    assert len(surveys(desk, ADMIN)) == 1
    desk.clock.now = T0 + timedelta(days=31)
    resolved(desk, sender, title="Search returns nothing")
    assert len(surveys(desk, ADMIN)) == 2


def test_a_forged_score_is_refused_without_a_500(desk: Desk, sender: Sender) -> None:
    ref = resolved(desk, sender)
    body = payloads.block_actions(
        actions=[payloads.button_action(action_id="csat.score.4", value="INC-2026-999999", block_id="csat_actions")],
        user_id=ADMIN, team_id=desk.sim.team_id, api_app_id=desk.sim.api_app_id, trigger_id=payloads.new_trigger_id(),
        response_url="", channel_id=desk.slack.dm_channel(ADMIN), message={"ts": "1.2", "text": "x"})
    assert desk.sim.send_interaction(body).status == 200
    assert get_survey(desk.ctx.uow(), ticket_ref=ref).score is None


def test_the_slack_report_gives_the_months_satisfaction(desk: Desk, sender: Sender) -> None:
    ref = resolved(desk, sender)
    [survey] = surveys(desk, ADMIN)
    press(desk, ADMIN, "csat.score.4", ref, survey)
    desk.clock.now = T0.replace(month=12, day=2, hour=10)
    text = desk.command(AGENT, "report 2026-11").body["text"]
    assert "satisfaction: 1 answers, average 4.0/5, 0 low" in text
