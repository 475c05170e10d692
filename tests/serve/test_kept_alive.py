"""The Web API client keeps its connections open between calls (``bot/kept_alive.py``):
over HTTPS a new connection is a TLS handshake and two round trips before every modal and
every post. Checked against the fake Slack over real HTTP and HTTPS: calls share one
connection, one the server closed is replaced without losing or repeating the call, a
call whose answer was lost is never replayed, and Slack's error statuses still reach
slack_sdk's retry handlers and errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError

from bot.delivery.slack_io import classify, delivery_client
from bot.kept_alive import KeptAliveWebClient
from bot.slack_client import close_client, make_web_client
from tests.doubles.faulty_slack import FaultySlack
from tests.doubles.tls import throwaway_tls


@pytest.fixture
def slack() -> Iterator[FaultySlack]:
    with FaultySlack() as fake:
        yield fake


def post(client: KeptAliveWebClient, text: str) -> None:
    client.chat_postMessage(channel="C0SUPCRIT", text=text)


def test_calls_share_one_kept_alive_connection(slack: FaultySlack) -> None:
    client = make_web_client("xoxb-test", base_url=slack.base_url)
    for n in range(5):
        post(client, f"message {n}")
    assert [m.text for m in slack.messages("C0SUPCRIT")] == [f"message {n}" for n in range(5)]
    assert slack.connections_accepted == 1
    close_client(client)


def test_a_connection_the_server_closed_is_replaced_and_the_call_sent_once(slack: FaultySlack) -> None:
    # The sender's client: no retry handler at all, so nothing may paper over a reuse that fails.
    client = delivery_client(make_web_client("xoxb-test", base_url=slack.base_url))
    post(client, "before")
    slack.close_idle_connections()  # as Slack does with connections idle for a while
    post(client, "after")
    assert [m.text for m in slack.messages("C0SUPCRIT")] == ["before", "after"]
    assert len(slack.calls("chat.postMessage")) == 2
    assert slack.connections_accepted == 2
    close_client(client)


def test_a_connection_idle_past_the_timeout_is_not_reused(slack: FaultySlack) -> None:
    client = KeptAliveWebClient(token="xoxb-test", base_url=slack.base_url, idle_timeout=0)
    post(client, "one")
    post(client, "two")
    assert slack.connections_accepted == 2
    client.close()


def test_a_call_whose_answer_was_lost_is_not_replayed(slack: FaultySlack) -> None:
    client = delivery_client(make_web_client("xoxb-test", base_url=slack.base_url))
    post(client, "warm")  # the connection is now kept alive
    slack.fail_next("chat.postMessage", drop_after_commit=True)
    with pytest.raises(Exception) as lost:
        post(client, "landed, answer lost")
    failure = classify(lost.value)
    assert failure is not None and failure.kind == "transient" and failure.maybe_landed
    assert [m.text for m in slack.messages("C0SUPCRIT")] == ["warm", "landed, answer lost"]  # once, not twice
    post(client, "next")  # a new connection
    assert slack.messages("C0SUPCRIT")[-1].text == "next"
    close_client(client)


def test_slack_error_statuses_still_reach_the_retry_handlers_and_errors(slack: FaultySlack) -> None:
    client = make_web_client("xoxb-test", base_url=slack.base_url)
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    post(client, "after a 429")  # RateLimitErrorRetryHandler waited and sent it again
    assert [c.outcome for c in slack.calls("chat.postMessage")] == ["http_429", "ok"]

    bare = delivery_client(client)  # no retry handler: the status is the caller's to classify
    slack.fail_next("chat.postMessage", status=503)
    with pytest.raises(SlackApiError) as refused:
        post(bare, "during an outage")
    assert refused.value.response.status_code == 503
    assert classify(refused.value).kind == "transient"  # type: ignore[union-attr]
    close_client(client)
    close_client(bare)


def test_each_thread_has_its_own_connection(slack: FaultySlack) -> None:
    client = make_web_client("xoxb-test", base_url=slack.base_url)
    threads = [threading.Thread(target=lambda n=n: [post(client, f"{n}.{i}") for i in range(3)]) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(slack.messages("C0SUPCRIT")) == 9
    assert slack.connections_accepted == 3
    close_client(client)


def test_closing_the_client_closes_its_connections_and_it_can_call_again(slack: FaultySlack) -> None:
    client = make_web_client("xoxb-test", base_url=slack.base_url)
    post(client, "one")
    client.close()
    post(client, "two")
    assert slack.connections_accepted == 2
    client.close()


def test_over_https_one_handshake_serves_many_calls() -> None:
    server_context, client_context = throwaway_tls()
    with FaultySlack(tls=server_context) as slack:
        assert slack.base_url.startswith("https://")
        client = KeptAliveWebClient(token="xoxb-test", base_url=slack.base_url, ssl=client_context)
        for n in range(3):
            post(client, f"secure {n}")
        assert [m.text for m in slack.messages("C0SUPCRIT")] == [f"secure {n}" for n in range(3)]
        assert slack.connections_accepted == 1
        client.close()


def test_over_https_a_certificate_slack_would_not_present_is_refused() -> None:
    server_context, client_context = throwaway_tls(trusted=False)
    with FaultySlack(tls=server_context) as slack:
        client = KeptAliveWebClient(token="xoxb-test", base_url=slack.base_url, ssl=client_context)
        with pytest.raises(Exception) as refused:
            post(client, "to an impostor")
        assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
        assert slack.messages("C0SUPCRIT") == []
        client.close()
