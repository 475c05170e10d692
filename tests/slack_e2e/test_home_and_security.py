"""The App Home, the language preference, and requests Slack would never send."""

from __future__ import annotations

import time


from sqlalchemy import func, select

from bot.offline import Delivery, payloads
from tests.doubles.forged_deliveries import STALE, TAMPERED, UNSIGNED
from bot.views.home import MAX_TICKETS
from sla_core.persistence.models import Ticket
from tests.slack_e2e.conftest import ADMIN, AGENT, END_USER, GOOD_FORM, HOLDER, Desk, blocks_text


def wait_home(desk: Desk, user: str, count: int = 1) -> dict:
    desk.slack.wait_for(lambda: len([c for c in desk.slack.calls("views.publish")
                                     if c.params["user_id"] == user]) >= count)
    return desk.slack.home(user)


def test_the_reporters_home_lists_their_tickets_with_countdowns(desk: Desk) -> None:
    ticket = desk.report(ADMIN)
    assert desk.home_opened(ADMIN).status == 200
    home = wait_home(desk, ADMIN)
    text = blocks_text(home)
    assert ticket.ref in text and "Status: Not acknowledged yet" in text and "<!date^" in text
    assert "Queue" not in text


def test_the_agents_home_is_the_queue_breached_first(desk: Desk) -> None:
    late = desk.report(ADMIN, title="Old one", severity="critical")
    desk.clock.now = desk.clock.now.replace(day=23, hour=12)  # Monday: the first callback is long breached
    fresh = desk.report(ADMIN, title="New one", severity="none")
    desk.home_opened(AGENT)
    text = blocks_text(wait_home(desk, AGENT))
    assert text.index(late.ref) < text.index(fresh.ref)
    assert "breached" in text


def test_the_home_stays_within_100_blocks(desk: Desk) -> None:
    view = desk.open_incident(ADMIN)
    for i in range(MAX_TICKETS + 5):
        desk.submit(view, ADMIN, {**GOOD_FORM, "title": f"Ticket {i}"}, view_id=f"V{i:08d}")
    desk.home_opened(AGENT)
    home = wait_home(desk, AGENT)
    assert len(home["blocks"]) <= 100
    assert "and 5 more" in blocks_text(home)


def test_choosing_a_language_republishes_the_home_in_it(desk: Desk) -> None:
    desk.home_opened(ADMIN)
    assert "Your open tickets" in blocks_text(wait_home(desk, ADMIN))
    action = {"type": "static_select", "action_id": "home.language", "block_id": "home_language",
              "selected_option": {"value": "fr", "text": {"type": "plain_text", "text": "French"}},
              "action_ts": "1.0"}
    body = payloads.block_actions(actions=[action], user_id=ADMIN, team_id=desk.sim.team_id,
                                  api_app_id=desk.sim.api_app_id, trigger_id=payloads.new_trigger_id(),
                                  response_url="", view={"id": "VHOME", "type": "home"})
    assert desk.timed(desk.sim.send_interaction, body).status == 200
    home = wait_home(desk, ADMIN, count=2)
    assert "Vos tickets ouverts" in blocks_text(home)
    assert desk.ctx.language(ADMIN) == "fr"
    assert desk.open_incident(ADMIN)["title"]["text"] == "Signaler un incident"


def test_a_retried_event_is_handled_once(desk: Desk) -> None:
    event = payloads.app_home_opened(user_id=HOLDER, channel_id="D0HOME")
    assert desk.timed(desk.sim.event, event, event_id="Ev0RETRY1").status == 200
    assert desk.timed(desk.sim.event, event, event_id="Ev0RETRY1", delivery=Delivery(retry_num=1)).status == 200
    wait_home(desk, HOLDER)
    time.sleep(0.3)  # a second publish, if any, would have come from a lazy listener by now
    assert len(desk.slack.calls("views.publish")) == 1


def test_messages_tab_does_not_publish(desk: Desk) -> None:
    event = payloads.app_home_opened(user_id=END_USER, channel_id="D0HOME", tab="messages")
    assert desk.sim.event(event).status == 200
    assert desk.slack.calls("views.publish") == []


def test_forged_requests_are_refused_and_change_nothing(desk: Desk) -> None:
    for delivery in (UNSIGNED, TAMPERED, STALE):
        assert desk.sim.slash_command("/incident", "", user_id=ADMIN, delivery=delivery).status == 401
        assert desk.sim.app_home_opened(user_id=ADMIN, delivery=delivery).status == 401
        view = payloads.modal_view(callback_id="modal.incident", team_id=desk.sim.team_id,
                                   api_app_id=desk.sim.api_app_id, view_id="VFORGED",
                                   values={k: {"value": payloads.selected_option(v) if k in
                                               {"category", "severity", "product_version", "contact_channel",
                                                "language"} else v} for k, v in GOOD_FORM.items()})
        body = payloads.view_submission(view=view, user_id=ADMIN, team_id=desk.sim.team_id,
                                        api_app_id=desk.sim.api_app_id, trigger_id=payloads.new_trigger_id())
        assert desk.sim.send_interaction(body, delivery=delivery).status == 401
    with desk.ctx.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Ticket)) == 0
    assert desk.slack.calls("views.open") == [] and desk.slack.calls("views.publish") == []
    assert {c.method for c in desk.slack.calls()} <= {"auth.test"}  # no Slack call of any kind
