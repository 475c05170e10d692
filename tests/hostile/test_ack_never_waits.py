"""Item 4: nothing that waits on the network runs before an ack returns. The fake Slack
answers slowly (``SLOW`` seconds, past Slack's 3 s for an ack); every ack must come back
before that answer would have, and what was deferred must still happen after it."""

from __future__ import annotations

import time

import pytest

from tests.doubles.faulty_slack import RESPONSE_URL
from tests.hostile.conftest import ADMIN, END_USER, STRANGER, Door
from tests.hostile.test_malformed_payloads import click

SLOW = 4.0  # seconds: Slack's own deadline for an ack is 3

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # about the network only


def locale_learnt(door: Door, user: str, timeout: float = 10.0) -> str | None:
    """The Slack locale the app has cached for ``user``, once it has one (asked without
    ever calling Slack from here)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with door.ctx.languages.answering():
            language = door.ctx.languages.slack_locale(user)
        if language:
            return language
        time.sleep(0.02)
    return None


def test_a_refused_click_is_acked_before_its_refusal_is_posted_through_a_slow_response_url(door: Door) -> None:
    door.slack.fail_next(RESPONSE_URL, delay=SLOW)
    answer = door.interaction(click(door, "ticket.acknowledge", user=END_USER))  # only agents may acknowledge
    assert answer.status == 200
    assert answer.seconds < SLOW  # the ack did not wait for response_url
    refusal = door.slack.wait_for(lambda: door.slack.responses("refusal"))
    assert "agent" in refusal[0].body["text"] and refusal[0].response_type == "ephemeral"


def test_a_first_slash_command_is_answered_without_waiting_for_users_info(door: Door) -> None:
    door.slack.fail_next("users.info", delay=SLOW)
    answer = door.form(door.command_fields(END_USER, "help"))
    assert answer.status == 200 and answer.seconds < SLOW
    assert "signaler un incident" in answer.json()["text"]  # app.yaml's default language: never met before
    # …and their Slack locale was looked up after that answer, for the next one.
    assert locale_learnt(door, END_USER) == "en"
    assert "report an incident" in door.form(door.command_fields(END_USER, "help")).json()["text"]


def test_a_refused_command_from_a_stranger_does_not_wait_for_users_info(door: Door) -> None:
    door.slack.fail_next("users.info", delay=SLOW, count=2)
    answer = door.form(door.command_fields(STRANGER, ""))  # may not open tickets: acked, then refused
    assert answer.status == 200 and answer.seconds < SLOW
    refusal = door.slack.wait_for(lambda: door.slack.responses("command"), timeout=3 * SLOW)
    assert refusal[0].response_type == "ephemeral" and "tickets" in refusal[0].body["text"]
    assert door.slack.calls("views.open") == []


def test_a_refused_modal_submission_does_not_wait_for_users_info(door: Door) -> None:
    from tests.hostile.test_malformed_payloads import submission

    door.slack.fail_next("users.info", delay=SLOW, count=2)
    answer = door.interaction(submission("modal.reopen", {"reason": {"value": "x"}}, user=ADMIN,
                                         metadata=door.tickets[0]))  # not resolved: cannot be reopened
    assert answer.status == 200 and answer.seconds < SLOW
    assert answer.json()["response_action"] == "errors"
