"""The sender calls only the Web API methods declared in ``bot/slack_methods.py`` (the
manifest's scopes are derived from them: tests/slack_e2e/test_manifest_scopes.py)."""

from __future__ import annotations

from bot.slack_methods import WEB_API
from sla_core.severity import Severity
from tests.delivery.conftest import World


def test_the_sender_calls_only_declared_methods(world: World) -> None:
    ticket = world.open_critical()
    sender = world.sender()
    sender.run_once()
    world.act("acknowledge", ticket.ref, channel="phone", note="called")
    world.act("change_severity", ticket.ref, severity=Severity.IMPORTANT, reason="one shop only")
    while sender.run_once():
        pass
    methods = {call.method for call in world.slack.calls()}
    assert {"chat.postMessage", "chat.update", "conversations.open", "chat.getPermalink"} <= methods
    assert methods - set(WEB_API) == set()
