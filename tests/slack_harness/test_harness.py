"""The offline Slack harness, proven end to end: the real Bolt app on loopback, signed
requests from a simulated Slack, and a recording fake of the Web API with faults.

These tests pin what other end-to-end tests rely on: that a request Slack would accept
reaches our listeners, that a forged one does not, and that each injected fault looks to
slack_sdk exactly like the production failure it stands for.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from http.client import RemoteDisconnected

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from tests.doubles.faulty_slack import FaultySlack
from bot.offline.loopback import serve_wsgi
from bot.offline.signed_requests import Delivery, SlackClientSimulator
from tests.doubles.forged_deliveries import STALE, TAMPERED, UNSIGNED

SIGNING_SECRET = "harness-signing-secret"
INCIDENT_CHANNEL = "C0INCIDENT"


def build_app(client: WebClient) -> App:
    """A miniature of the real bot: thin listeners over the surfaces the harness covers."""
    app = App(client=client, signing_secret=SIGNING_SECRET)

    @app.command("/incident")
    def open_incident(ack: Ack, command: dict[str, str], client: WebClient, respond: Respond) -> None:
        ack()
        client.chat_postMessage(
            channel=command["channel_id"],
            text=f"Incident opened: {command['text']}",
            metadata={"event_type": "incident_opened", "event_payload": {"title": command["text"]}},
        )
        respond(f"Noted, {command['user_name']}.")

    @app.view("incident_modal")
    def submit_incident(ack: Ack, view: dict[str, Any], client: WebClient) -> None:
        ack()
        title = view["state"]["values"]["title"]["title_input"]["value"]
        client.chat_postMessage(channel=view["private_metadata"], text=f"Incident opened: {title}")

    @app.action("acknowledge")
    def acknowledge(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        container = body["container"]
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], text="Acknowledged")

    @app.event("app_home_opened")
    def show_home(event: dict[str, str], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    return app


@dataclass(frozen=True)
class Harness:
    slack: FaultySlack
    simulator: SlackClientSimulator


@pytest.fixture
def slack() -> Iterator[FaultySlack]:
    with FaultySlack() as fake:
        yield fake


@pytest.fixture
def harness(slack: FaultySlack) -> Iterator[Harness]:
    client = WebClient(token="xoxb-test", base_url=slack.base_url)
    handler = SlackRequestHandler(build_app(client))
    with serve_wsgi(handler) as url:
        simulator = SlackClientSimulator(
            f"{url}/slack/events", SIGNING_SECRET, channel_id=INCIDENT_CHANNEL, response_url_factory=slack.response_url
        )
        yield Harness(slack=slack, simulator=simulator)


def client_for(slack: FaultySlack, **options: Any) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.base_url, **options)


# ----- requests from Slack to the app --------------------------------------------------


def test_a_signed_slash_command_posts_the_incident_in_the_channel_it_came_from(harness: Harness) -> None:
    answer = harness.simulator.slash_command("/incident", "Checkout is down")

    assert answer.status == 200
    posted = harness.slack.wait_for(lambda: harness.slack.messages(INCIDENT_CHANNEL))
    assert [m.text for m in posted] == ["Incident opened: Checkout is down"]
    assert harness.slack.messages("C0OTHER") == []


def test_the_command_reply_reaches_the_response_url(harness: Harness) -> None:
    answer = harness.simulator.slash_command("/incident", "Checkout is down")

    assert answer.response_url_name is not None
    replies = harness.slack.wait_for(lambda: harness.slack.responses(answer.response_url_name or ""))
    assert replies[0].body["text"] == "Noted, u0alice."
    assert replies[0].response_type == "ephemeral"


@pytest.mark.parametrize("delivery", [UNSIGNED, TAMPERED, STALE], ids=["unsigned", "tampered", "stale"])
def test_a_request_slack_did_not_sign_is_refused_and_posts_nothing(harness: Harness, delivery: Delivery) -> None:
    refused = harness.simulator.slash_command("/incident", "forged", delivery=delivery)
    harness.simulator.slash_command("/incident", "genuine")  # a barrier: its post comes after any forged one

    assert refused.status == 401
    posted = harness.slack.wait_for(lambda: harness.slack.messages(INCIDENT_CHANNEL))
    assert [m.text for m in posted] == ["Incident opened: genuine"]


def test_a_modal_submission_reaches_the_listener_with_its_values(harness: Harness) -> None:
    answer = harness.simulator.view_submission(
        "incident_modal", {"title": {"title_input": "Payments delayed"}}, private_metadata=INCIDENT_CHANNEL
    )

    assert answer.status == 200
    posted = harness.slack.wait_for(lambda: harness.slack.messages(INCIDENT_CHANNEL))
    assert posted[0].text == "Incident opened: Payments delayed"


def test_a_button_click_updates_the_message_it_was_clicked_in(harness: Harness) -> None:
    original = client_for(harness.slack).chat_postMessage(channel=INCIDENT_CHANNEL, text="New incident")

    harness.simulator.block_action("acknowledge", value="inc-1", message={"ts": original["ts"], "text": "New incident"})

    updated = harness.slack.wait_for(
        lambda: [m for m in harness.slack.messages(INCIDENT_CHANNEL) if m.text == "Acknowledged"]
    )
    assert updated[0].ts == original["ts"]
    assert updated[0].edits[0]["text"] == "New incident"


def test_opening_the_home_tab_publishes_a_home_view_for_that_user(harness: Harness) -> None:
    assert harness.simulator.app_home_opened(user_id="U0BOB").status == 200

    home = harness.slack.wait_for(lambda: harness.slack.home("U0BOB"))
    assert home["type"] == "home"
    assert harness.slack.home("U0ALICE") is None


def test_the_url_verification_challenge_is_echoed(harness: Harness) -> None:
    answer = harness.simulator.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")

    assert answer.status == 200
    assert answer.body == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


# ----- the fake Web API as slack_sdk sees it ---------------------------------------------


def test_rate_limit_retry_handler_waits_for_retry_after_then_succeeds(slack: FaultySlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    client = client_for(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])

    client.chat_postMessage(channel="C1", text="after the wait")

    first, second = slack.calls("chat.postMessage")
    assert (first.outcome, second.outcome) == ("http_429", "ok")
    assert second.time - first.time >= 1.0
    assert [m.text for m in slack.messages("C1")] == ["after the wait"]


def test_without_a_retry_handler_a_rate_limit_is_an_error_and_posts_nothing(slack: FaultySlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=30)

    with pytest.raises(SlackApiError) as raised:
        client_for(slack, retry_handlers=[]).chat_postMessage(channel="C1", text="hi")

    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "30"
    assert slack.messages("C1") == []


def test_a_server_error_is_a_slack_api_error_for_the_default_client(slack: FaultySlack) -> None:
    slack.fail_next("chat.postMessage", status=500)

    with pytest.raises(SlackApiError) as raised:
        client_for(slack).chat_postMessage(channel="C1", text="hi")

    assert raised.value.response.status_code == 500
    assert slack.messages("C1") == []


def test_a_server_error_retry_handler_gets_through_a_503(slack: FaultySlack) -> None:
    slack.fail_next("chat.postMessage", status=503)
    quick = FixedValueRetryIntervalCalculator(fixed_internal=0.01)
    client = client_for(slack, retry_handlers=[ServerErrorRetryHandler(max_retry_count=1, interval_calculator=quick)])

    client.chat_postMessage(channel="C1", text="second try")

    assert [c.outcome for c in slack.calls("chat.postMessage")] == ["http_503", "ok"]
    assert [m.text for m in slack.messages("C1")] == ["second try"]


def test_an_api_error_comes_back_as_ok_false(slack: FaultySlack) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found")

    with pytest.raises(SlackApiError) as raised:
        client_for(slack).chat_postMessage(channel="C1", text="hi")

    assert raised.value.response["error"] == "channel_not_found"


def test_history_shows_a_posted_message_metadata_only_when_asked(slack: FaultySlack) -> None:
    client = client_for(slack)
    metadata = {"event_type": "sla_reminder", "event_payload": {"ticket": "T-42", "step": 2}}
    client.chat_postMessage(channel="C1", text="Reminder", metadata=metadata)

    with_metadata = client.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    without = client.conversations_history(channel="C1")["messages"]

    assert with_metadata[0]["metadata"] == metadata
    assert "metadata" not in without[0]


def test_history_is_newest_first_and_leaves_thread_replies_out(slack: FaultySlack) -> None:
    client = client_for(slack)
    parent = client.chat_postMessage(channel="C1", text="first")
    client.chat_postMessage(channel="C1", text="in thread", thread_ts=parent["ts"])
    client.chat_postMessage(channel="C1", text="second")

    history = client.conversations_history(channel="C1")["messages"]
    replies = client.conversations_replies(channel="C1", ts=parent["ts"])["messages"]

    assert [m["text"] for m in history] == ["second", "first"]
    assert [m["text"] for m in replies] == ["first", "in thread"]
    assert [m.text for m in slack.thread("C1", parent["ts"])] == ["in thread"]


def test_a_lost_answer_leaves_the_message_posted_although_the_client_failed(slack: FaultySlack) -> None:
    slack.fail_next("chat.postMessage", drop_after_commit=True)

    with pytest.raises((RemoteDisconnected, ConnectionResetError)):
        client_for(slack, retry_handlers=[]).chat_postMessage(channel="C1", text="did it go out?")

    assert [m.text for m in slack.messages("C1")] == ["did it go out?"]


def test_the_default_client_resends_after_a_lost_answer_and_duplicates_the_message(slack: FaultySlack) -> None:
    """slack_sdk's default ConnectionErrorRetryHandler retries blindly: senders must dedupe."""
    slack.fail_next("chat.postMessage", drop_after_commit=True)

    client_for(slack).chat_postMessage(channel="C1", text="once")

    assert [m.text for m in slack.messages("C1")] == ["once", "once"]


def test_a_slow_answer_times_the_client_out_but_the_message_still_lands(slack: FaultySlack) -> None:
    slack.fail_next("chat.postMessage", delay=0.5)

    with pytest.raises(TimeoutError):
        client_for(slack, timeout=0.1, retry_handlers=[]).chat_postMessage(channel="C1", text="late")

    assert slack.messages("C1") == []
    landed = slack.wait_for(lambda: slack.messages("C1"), timeout=2)
    assert landed[0].text == "late"


def test_posting_faster_than_the_channel_rate_limit_is_refused_with_429(slack: FaultySlack) -> None:
    slack.set_rate_limit("chat.postMessage", per_channel_per_second=1.0)
    client = client_for(slack, retry_handlers=[])
    client.chat_postMessage(channel="C1", text="first")
    client.chat_postMessage(channel="C2", text="other channel, own budget")

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="too soon")

    assert raised.value.response.status_code == 429
    assert [m.text for m in slack.messages("C1")] == ["first"]


def test_users_info_returns_the_configured_profile_and_knows_no_one_else(slack: FaultySlack) -> None:
    slack.add_user("U0CLAIRE", real_name="Claire Dubois", tz="America/Montreal", locale="fr-CA")
    client = client_for(slack)

    user = client.users_info(user="U0CLAIRE", include_locale=True)["user"]
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U0NOBODY")

    assert (user["real_name"], user["tz"], user["locale"]) == ("Claire Dubois", "America/Montreal", "fr-CA")
    assert raised.value.response["error"] == "user_not_found"


def test_a_dm_opened_with_conversations_open_is_found_by_user(slack: FaultySlack) -> None:
    client = client_for(slack)
    channel = client.conversations_open(users="U0CLAIRE")["channel"]["id"]
    again = client.conversations_open(users=["U0CLAIRE"])["channel"]["id"]

    client.chat_postMessage(channel=channel, text="Your ticket is due in 1 hour")

    assert channel == again and channel.startswith("D")
    assert [m.text for m in slack.dm("U0CLAIRE")] == ["Your ticket is due in 1 hour"]


def test_an_unknown_method_is_refused(slack: FaultySlack) -> None:
    with pytest.raises(SlackApiError) as raised:
        client_for(slack).api_call("chat.teleport")

    assert raised.value.response["error"] == "unknown_method"


def test_wait_for_gives_up_with_the_calls_it_saw(slack: FaultySlack) -> None:
    client_for(slack).auth_test()
    started = time.monotonic()

    with pytest.raises(TimeoutError, match=r"auth\.test:ok"):
        slack.wait_for(lambda: slack.messages("C1"), timeout=0.2)

    assert time.monotonic() - started < 1.0


def test_a_form_encoded_call_with_the_token_in_the_body_is_understood(slack: FaultySlack) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*P1* ticket"}}]
    form = urlencode({"token": "xoxb-form", "channel": "C1", "text": "P1 ticket", "blocks": json.dumps(blocks)})
    request = urllib.request.Request(f"{slack.base_url}chat.postMessage", data=form.encode(), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")

    with urllib.request.urlopen(request, timeout=5) as answer:
        body = json.loads(answer.read())

    assert body["ok"] is True
    assert slack.messages("C1")[0].blocks == blocks
    assert slack.calls("chat.postMessage")[0].token == "xoxb-form"


def test_a_call_without_any_token_is_not_authed(slack: FaultySlack) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=slack.base_url).chat_postMessage(channel="C1", text="hi")

    assert raised.value.response["error"] == "not_authed"
    assert slack.messages("C1") == []


def test_an_opened_view_can_be_updated_by_id_unless_its_hash_is_stale(slack: FaultySlack) -> None:
    client = client_for(slack)
    modal = {"type": "modal", "callback_id": "incident_modal", "title": {"type": "plain_text", "text": "New"}}
    opened = client.views_open(trigger_id="123.456.abc", view=modal)["view"]

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view={**modal, "blocks": []})["view"]
    with pytest.raises(SlackApiError) as raised:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal)

    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert raised.value.response["error"] == "hash_conflict"
    assert [v["callback_id"] for v in slack.views_opened()] == ["incident_modal"]


def test_an_ephemeral_message_is_recorded_for_its_user_only(slack: FaultySlack) -> None:
    client_for(slack).chat_postEphemeral(channel="C1", user="U0ALICE", text="Only you can see this")

    assert [e.text for e in slack.ephemerals(channel="C1", user="U0ALICE")] == ["Only you can see this"]
    assert slack.ephemerals(user="U0BOB") == []
    assert slack.messages("C1") == []


def test_a_permalink_points_at_a_posted_message_and_not_at_a_missing_one(slack: FaultySlack) -> None:
    client = client_for(slack)
    posted = client.chat_postMessage(channel="C1", text="hi")

    link = client.chat_getPermalink(channel="C1", message_ts=posted["ts"])["permalink"]
    with pytest.raises(SlackApiError):
        client.chat_getPermalink(channel="C1", message_ts="1600000000.000100")

    assert link.endswith(f"/archives/C1/p{posted['ts'].replace('.', '')}")


def test_usergroup_members_are_the_configured_ones(slack: FaultySlack) -> None:
    slack.set_usergroup("S0ONCALL", ["U0ALICE", "U0BOB"])
    client = client_for(slack)

    assert client.usergroups_users_list(usergroup="S0ONCALL")["users"] == ["U0ALICE", "U0BOB"]
    with pytest.raises(SlackApiError):
        client.usergroups_users_list(usergroup="S0NOBODY")


def test_an_in_channel_answer_to_a_response_url_is_posted_in_its_channel(slack: FaultySlack) -> None:
    url = slack.response_url("incident-1", channel="C1")

    WebhookClient(url).send(text="Incident opened for everyone", response_type="in_channel")

    assert [p.response_type for p in slack.responses("incident-1")] == ["in_channel"]
    assert [m.text for m in slack.messages("C1")] == ["Incident opened for everyone"]
