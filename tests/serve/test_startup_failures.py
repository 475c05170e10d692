"""Every failure at start-up is one line and exit 2 naming what to fix, never a traceback:
Slack unreachable in Socket Mode or HTTP mode (blaming SLACK_API_URL only when it is set),
a DATABASE_URL that is not a URL or names a database we do not run on. And the commands
that do not talk to Slack need no Slack token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.runtime import SlackUnreachable, check_slack_token
from bot.settings import Environment
from bot.slack_client import close_client, make_web_client
from tests.serve.conftest import astreinte, base_environ, free_port

TOKENS = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "x"}


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there: connection refused


@pytest.mark.parametrize("mode", [{}, {"SLACK_APP_TOKEN": "xapp-1-A0-1-abc"}], ids=["http", "socket-mode"])
def test_slack_unreachable_at_start_up_is_one_line_naming_slack_api_url(tmp_path: Path, mode: dict[str, str]) -> None:
    api = _closed_port_url()
    env = {**base_environ(tmp_path), **TOKENS, **mode, "SLACK_API_URL": api}

    serve = astreinte("serve", "--port", str(free_port()), "--host", "127.0.0.1", env=env)

    assert serve.returncode == 2
    lines = [line for line in serve.stderr.splitlines() if not line.startswith("time=")]  # our own log lines
    assert len(lines) == 1, serve.stderr
    assert lines[0].startswith(f"astreinte: SLACK_API_URL: cannot reach Slack's Web API at {api}")
    assert "Traceback" not in serve.stderr


def test_slack_unreachable_without_slack_api_url_does_not_blame_it() -> None:
    client = make_web_client("xoxb-1", base_url=_closed_port_url())  # stands for slack.com, which tests never call
    try:
        with pytest.raises(SlackUnreachable) as refused:
            check_slack_token(Environment(bot_token="xoxb-1", signing_secret="x"), client)
    finally:
        close_client(client)

    message = str(refused.value)
    assert "SLACK_API_URL" not in message
    assert message.startswith(f"cannot reach Slack's Web API at {client.base_url} to check SLACK_BOT_TOKEN (")
    assert message.endswith("check this machine's network, DNS and proxy (HTTPS_PROXY)") and "\n" not in message


@pytest.mark.parametrize(("url", "words"), [
    ("notaurl", 'DATABASE_URL: "notaurl" is not a database URL (write e.g. postgresql://'),
    ("mysql://desk:s3cret@127.0.0.1:1/astreinte", 'DATABASE_URL: "mysql" is not a supported database (PostgreSQL or SQLite'),
], ids=["not-a-url", "unsupported-scheme"])
@pytest.mark.parametrize("argv", [["serve"], ["tick", "--no-deliver"]])
def test_a_database_url_we_cannot_use_is_one_line_naming_it(tmp_path: Path, url: str, words: str,
                                                            argv: list[str]) -> None:
    env = {**base_environ(tmp_path), **TOKENS, "SLACK_API_URL": _closed_port_url(), "DATABASE_URL": url}

    done = astreinte(*argv, env=env)

    assert done.returncode == 2
    assert done.stderr.splitlines() == [done.stderr.strip()], done.stderr
    assert done.stderr.startswith(f"astreinte: {words}")
    assert "s3cret" not in done.stderr


def test_tick_without_delivery_needs_no_slack_token(tmp_path: Path) -> None:
    env = {**base_environ(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.db'}"}
    assert astreinte("db", "upgrade", env=env).returncode == 0

    tick = astreinte("tick", "--no-deliver", "--now", "2026-11-23T10:00", env=env)

    assert tick.returncode == 0, tick.stderr
    summary = json.loads(tick.stdout)
    assert summary["now"] == "2026-11-23T10:00:00+01:00" and summary["delivered"] == 0

    delivering = astreinte("tick", "--now", "2026-11-23T10:00", env=env)
    assert delivering.returncode == 2 and "SLACK_BOT_TOKEN: not set" in delivering.stderr
