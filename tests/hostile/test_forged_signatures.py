"""Item 1: a request whose signature cannot be verified is refused with 401, whatever its
timestamp header holds, before anything reads it: no call to Slack, one warning line."""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.offline import payloads
from tests.doubles.faulty_slack import FaultySlack
from tests.hostile.conftest import ADMIN, SECRET, Door, send
from tests.serve.conftest import ServedBot, make_serve_env, start_served_bot

NOW = str(int(time.time()))
TIMESTAMPS = {
    "a word": "soon",
    "5000 digits": "9" * 5000,  # past Python's 4,300-digit limit for int()
    "empty": "",
    "negative": "-1700000000",
    "signed plus": "+" + NOW,
    "a fraction": NOW + ".5",
    "spaced": " " + NOW,
    # int() reads these; sent as the UTF-8 bytes a client may put in a header
    "full-width digits": "".join(chr(0xFF10 + int(d)) for d in NOW).encode().decode("latin-1"),
    "missing": None,
}


def _command() -> tuple[str, str]:
    fields = payloads.slash_command(command="/incident", text="", user_id=ADMIN, channel_id="C0ASTRE1",
                                    team_id="T0ASTRE1", api_app_id="A0ASTAPP", response_url="http://127.0.0.1:9/",
                                    trigger_id=payloads.new_trigger_id())
    return urlencode(fields), "application/x-www-form-urlencoded"


def _view_submission() -> tuple[str, str]:
    view = payloads.modal_view(callback_id="modal.incident", team_id="T0ASTRE1", api_app_id="A0ASTAPP",
                               values={"title": {"value": "x"}})
    body = payloads.view_submission(view=view, user_id=ADMIN, team_id="T0ASTRE1", api_app_id="A0ASTAPP",
                                    trigger_id=payloads.new_trigger_id())
    return urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded"


def _event() -> tuple[str, str]:
    event = payloads.app_home_opened(user_id=ADMIN, channel_id="D0HOME")
    return json.dumps(payloads.event_callback(event=event, team_id="T0ASTRE1", api_app_id="A0ASTAPP")), \
        "application/json"


def _url_verification() -> tuple[str, str]:
    return json.dumps(payloads.url_verification("challenge-me")), "application/json"


def _invalid_json() -> tuple[str, str]:
    return "payload=%7B", "application/x-www-form-urlencoded"


BODIES: dict[str, Callable[[], tuple[str, str]]] = {
    "slash command": _command, "view submission": _view_submission, "event": _event,
    "url_verification": _url_verification, "invalid JSON": _invalid_json,
}


def _headers(body: str, content_type: str, timestamp: str | None, signature: str) -> dict[str, str]:
    headers = {"Content-Type": content_type}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    if signature == "wrong secret":
        headers["X-Slack-Signature"] = SignatureVerifier("not-the-secret").generate_signature(
            timestamp=timestamp or NOW, body=body) or ""
    elif signature == "right secret":  # signed over the absurd timestamp itself, as an attacker can
        headers["X-Slack-Signature"] = f"v0={'0' * 64}"
        try:
            headers["X-Slack-Signature"] = SignatureVerifier(SECRET).generate_signature(
                timestamp=timestamp or "", body=body) or ""
        except ValueError:
            pass
    return headers


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # nothing reaches a database
@pytest.mark.parametrize("kind", list(BODIES))
def test_an_unverifiable_request_gets_401_without_any_call_to_slack(
        door: Door, caplog: pytest.LogCaptureFixture, kind: str) -> None:
    body, content_type = BODIES[kind]()
    before = door.snapshot()
    for (timestamp, value), signature in itertools.product(TIMESTAMPS.items(), ("missing", "wrong secret",
                                                                                 "right secret")):
        case = f"timestamp {timestamp}, signature {signature}"
        headers = _headers(body, content_type, value, signature)
        if signature == "missing":
            headers.pop("X-Slack-Signature", None)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            answer = send(door.events_url, body.encode(), headers)
        assert answer.status == 401, (case, answer.body)
        assert "went wrong" not in answer.body and "challenge-me" not in answer.body, case
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING, (case, [r.getMessage() for r in warnings])
    time.sleep(0.1)  # work after an ack, had there been one, would have started by now
    assert door.slack.calls() == []  # no users.info, no views.open: nothing at all
    assert door.snapshot() == before


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_stale_but_correct_signature_is_still_refused(door: Door) -> None:
    body, content_type = _command()
    stale = str(int(time.time()) - 6 * 60)
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stale,
               "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stale, body=body) or ""}
    assert send(door.events_url, body.encode(), headers).status == 401
    assert door.slack.calls() == []


# ----- the same door under gunicorn (``astreinte serve``) --------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServedBot, FaultySlack]]:
    tmp = tmp_path_factory.mktemp("hostile-served")
    with FaultySlack() as slack:
        slack.add_user(ADMIN, real_name="admin", locale="en-US")
        bot = start_served_bot(make_serve_env(tmp, slack), tmp, workers=1)
        try:
            bot.wait_healthy()
            yield bot, slack
        finally:
            bot.terminate()


@pytest.mark.parametrize("timestamp", ["soon", "9" * 5000, ""], ids=["a word", "5000 digits", "empty"])
def test_gunicorn_refuses_an_absurd_timestamp_with_401_and_logs_no_error(
        served: tuple[ServedBot, FaultySlack], timestamp: str) -> None:
    bot, slack = served
    slack.reset()
    body, content_type = _command()
    answer = send(bot.url + "/slack/events", body.encode(),
                  {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp})
    assert answer.status == 401
    time.sleep(0.05)
    assert slack.calls() == []
    assert "ERROR" not in bot.log() and "Traceback" not in bot.log()


def test_gunicorn_refuses_unsigned_invalid_json_with_401(served: tuple[ServedBot, FaultySlack]) -> None:
    bot, _ = served
    answer = send(bot.url + "/slack/events", b"payload=%7B", {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 401
    assert "Traceback" not in bot.log()
