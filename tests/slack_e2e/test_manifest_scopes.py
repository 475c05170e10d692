"""manifest.yaml requests exactly the scopes the bot needs: every Web API method the code
calls is declared in ``bot/slack_methods.py`` with its scopes, and the manifest's bot
scopes are their union plus the slash command's and the events' — nothing missing (a
``missing_scope`` in production), nothing unused (a broader install than needed)."""

from __future__ import annotations

import ast
import inspect
import re
from functools import cache
from pathlib import Path

import yaml
from slack_sdk.web import client as slack_web_client

from bot.listeners.commands import COMMAND
from bot.slack_methods import APP_TOKEN_METHODS, EVENTS, LIBRARY_CALLS, WEB_API, bot_scopes
from tests.slack_e2e.conftest import ADMIN, AGENT, GOOD_FORM, Desk

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "sla_core", "messages")
TEST_DOUBLES = REPO / "bot" / "offline"  # the fake Slack's own method names are not calls to Slack


@cache
def sdk_methods() -> dict[str, str]:
    """slack_sdk's WebClient: Python method name → the Web API method it calls."""
    tree = ast.parse(inspect.getsource(slack_web_client))
    web_client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "WebClient")
    found = {}
    for function in web_client.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "api_call"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found[function.name] = str(node.args[0].value)
                break
    return found


def sources() -> list[Path]:
    return [p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))
            if TEST_DOUBLES not in p.parents]


def methods_called(text: str) -> set[str]:
    """Web API methods a source calls: ``client.chat_postMessage(`` or ``api_call("…")``."""
    by_name = sdk_methods()
    called = {by_name[name] for name in re.findall(r"\.(\w+)\(", text) if name in by_name}
    called |= set(re.findall(r"""api_call\(\s*["']([\w.]+)["']""", text))
    return called


def called_in_code() -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    for path in sources():
        for method in methods_called(path.read_text(encoding="utf-8")):
            where.setdefault(method, []).append(str(path.relative_to(REPO)))
    return where


def manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((REPO / "manifest.yaml").read_text(encoding="utf-8"))


def test_the_scan_finds_the_calls_it_is_meant_to_find() -> None:
    assert methods_called("self.client.chat_postMessage(channel=c)\nclient.views_open(trigger_id=t)") == {
        "chat.postMessage", "views.open"}
    assert methods_called('client.api_call("usergroups.users.list", params={})') == {"usergroups.users.list"}
    assert methods_called("self.slack.views_opened()\nrender_plain(key)") == set()
    assert {"conversations.history", "conversations.replies", "users.info"} <= set(called_in_code())


def test_every_web_api_method_the_code_calls_is_declared_with_its_scopes() -> None:
    undeclared = {m: where for m, where in called_in_code().items() if m not in WEB_API and m not in APP_TOKEN_METHODS}
    assert undeclared == {}


def test_every_declared_method_is_called_by_the_code_or_its_libraries() -> None:
    assert set(WEB_API) - set(called_in_code()) - LIBRARY_CALLS == set()
    assert set(APP_TOKEN_METHODS) <= LIBRARY_CALLS


def test_the_manifest_requests_exactly_the_scopes_of_the_declared_methods() -> None:
    requested = manifest()["oauth_config"]["scopes"]["bot"]
    assert len(requested) == len(set(requested))
    assert {"missing": sorted(bot_scopes() - set(requested)), "unused": sorted(set(requested) - bot_scopes())} == {
        "missing": [], "unused": []}


def test_private_channels_and_dms_are_covered_wherever_public_ones_are() -> None:
    for name in ("conversations.history", "conversations.replies"):
        assert {"channels:history", "groups:history", "im:history"} <= WEB_API[name].scopes


def test_the_manifest_subscribes_to_the_events_and_the_command_the_app_handles() -> None:
    features, settings = manifest()["features"], manifest()["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert set(settings["event_subscriptions"]["bot_events"]) == set(EVENTS)
    registered = {m for p in sources() for m in re.findall(r"""app\.event\(\s*["'](\w+)["']""", p.read_text("utf-8"))}
    assert registered == set(EVENTS)


# What actually goes over the wire (the sender's side: tests/delivery/test_declared_methods.py).
def test_the_served_app_calls_only_declared_methods(desk: Desk) -> None:
    ticket = desk.report(ADMIN, **GOOD_FORM)
    assert desk.act(AGENT, "ticket.acknowledge", ticket.ref, {"channel": "phone", "note": "called"}).status == 200
    desk.home_opened(AGENT)
    desk.slack.wait_for(lambda: desk.slack.calls("views.publish"))
    assert {c.method for c in desk.slack.calls()} - set(WEB_API) == set()

