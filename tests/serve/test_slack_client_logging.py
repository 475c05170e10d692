"""slack_sdk builds a debug line holding every request and response body (a whole modal
each time) unless its logger has a level of its own; ``make_web_client`` gives it one.
What an operator notices: with debug logging on, the lines are there; off, none are."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.slack_client import SDK_LOGGER, make_web_client
from tests.doubles.faulty_slack import FaultySlack


@pytest.fixture
def fresh_sdk_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger(SDK_LOGGER)
    saved = logger.level
    logger.setLevel(logging.NOTSET)  # as slack_sdk leaves it
    yield logger
    logger.setLevel(saved)


def _requests_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == SDK_LOGGER and r.getMessage().startswith("Sending a request")]


def test_without_debug_logging_slack_sdk_does_not_build_its_request_lines(fresh_sdk_logger, caplog) -> None:
    caplog.set_level(logging.INFO)
    with FaultySlack() as slack:
        client = make_web_client("xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C0SUPCRIT", text="hello")
    assert fresh_sdk_logger.level == logging.INFO  # slack_sdk tests this very attribute before formatting
    assert _requests_logged(caplog) == []


def test_with_debug_logging_on_the_request_lines_are_still_there(fresh_sdk_logger, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with FaultySlack() as slack:
        client = make_web_client("xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C0SUPCRIT", text="hello")
    lines = _requests_logged(caplog)
    assert len(lines) == 1 and "chat.postMessage" in lines[0]
