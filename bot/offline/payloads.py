"""Bodies of the requests Slack sends to our app, with the fields real Slack includes.

Pure functions returning dicts, so a test can tweak one field before sending. Field sets
follow Slack's documented payloads (and bolt-python's own scenario tests): enough that
Bolt's matchers, `context` (user, channel, team) and our listeners see what they would
see in production, including ids of the right shape.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from typing import Any

JsonDict = dict[str, Any]
_sequence = itertools.count(1)


def unique_suffix() -> str:
    """Distinct per call within a process: trigger ids and event ids must never repeat."""
    return f"{int(time.time())}{next(_sequence):06d}"


def new_trigger_id() -> str:
    return f"{unique_suffix()}.1234567890.{next(_sequence):032x}"


def user_ref(user_id: str, *, team_id: str, user_name: str = "") -> JsonDict:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def slash_command(
    *,
    command: str,
    text: str,
    user_id: str,
    channel_id: str,
    team_id: str,
    api_app_id: str,
    response_url: str,
    trigger_id: str,
    user_name: str = "",
    channel_name: str = "astreinte",
) -> dict[str, str]:
    """Form fields of a slash command; every value is a string, as in Slack's form."""
    return {
        "token": "verification-token-unused",
        "team_id": team_id,
        "team_domain": "astreinte-test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def state_values(values: Mapping[str, Mapping[str, Any]]) -> JsonDict:
    """`view.state.values` from `{block_id: {action_id: value}}`.

    A str becomes a plain_text_input value; a dict is taken as the element's full state
    (use `selected_option`, `selected_user` for selects); None is an empty input.
    """
    built: JsonDict = {}
    for block_id, actions in values.items():
        built[block_id] = {}
        for action_id, value in actions.items():
            if isinstance(value, Mapping):
                built[block_id][action_id] = dict(value)
            else:
                built[block_id][action_id] = {"type": "plain_text_input", "value": value}
    return built


def selected_option(value: str, text: str | None = None) -> JsonDict:
    """State of a static_select, for `state_values`."""
    option = {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}
    return {"type": "static_select", "selected_option": option}


def selected_user(user_id: str) -> JsonDict:
    """State of a users_select, for `state_values`."""
    return {"type": "users_select", "selected_user": user_id}


def modal_view(
    *,
    callback_id: str,
    team_id: str,
    api_app_id: str,
    values: Mapping[str, Mapping[str, Any]] | None = None,
    private_metadata: str = "",
    view_id: str = "V0ASTVIEW1",
    blocks: list[JsonDict] | None = None,
) -> JsonDict:
    return {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": state_values(values or {})},
        "hash": f"{unique_suffix()}.abcd",
        "title": {"type": "plain_text", "text": "Astreinte", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": True,
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": "B0ASTBOT",
    }


def view_submission(*, view: JsonDict, user_id: str, team_id: str, api_app_id: str, trigger_id: str) -> JsonDict:
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "astreinte-test"},
        "user": user_ref(user_id, team_id=team_id),
        "api_app_id": api_app_id,
        "token": "verification-token-unused",
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_closed(*, view: JsonDict, user_id: str, team_id: str, api_app_id: str) -> JsonDict:
    return {
        "type": "view_closed",
        "team": {"id": team_id, "domain": "astreinte-test"},
        "user": user_ref(user_id, team_id=team_id),
        "api_app_id": api_app_id,
        "token": "verification-token-unused",
        "view": view,
        "is_cleared": False,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def button_action(*, action_id: str, value: str, block_id: str = "actions", text: str = "") -> JsonDict:
    """One element of `actions[]` for a button click."""
    return {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": text or action_id, "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": f"{time.time():.6f}",
    }


def block_actions(
    *,
    actions: list[JsonDict],
    user_id: str,
    team_id: str,
    api_app_id: str,
    trigger_id: str,
    response_url: str,
    channel_id: str | None = None,
    message: JsonDict | None = None,
    view: JsonDict | None = None,
) -> JsonDict:
    """A click in a message (give `channel_id` and `message`) or in a view (`view`)."""
    payload: JsonDict = {
        "type": "block_actions",
        "user": user_ref(user_id, team_id=team_id),
        "api_app_id": api_app_id,
        "token": "verification-token-unused",
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": "astreinte-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": actions,
        "state": {"values": {}},
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "")}
        payload["view"] = view
        return payload
    if channel_id is None or message is None:
        raise ValueError("a message click needs channel_id and message (or pass view=...)")
    payload["container"] = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
    payload["channel"] = {"id": channel_id, "name": "astreinte"}
    payload["message"] = {"type": "message", **message}
    payload["response_url"] = response_url
    return payload


def event_callback(*, event: JsonDict, team_id: str, api_app_id: str, event_id: str | None = None) -> JsonDict:
    """The Events API envelope; `event_id` is unique unless given (to model a replay)."""
    return {
        "token": "verification-token-unused",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{unique_suffix()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "U0ASTBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{unique_suffix()}",
    }


def app_home_opened(*, user_id: str, channel_id: str, tab: str = "home") -> JsonDict:
    return {
        "type": "app_home_opened",
        "user": user_id,
        "channel": channel_id,
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }


def url_verification(challenge: str) -> JsonDict:
    return {"token": "verification-token-unused", "challenge": challenge, "type": "url_verification"}


def message_shortcut(*, callback_id: str, user_id: str, team_id: str, api_app_id: str, trigger_id: str,
                     response_url: str, channel_id: str, message: JsonDict, user_team: str | None = None,
                     shared: bool = False) -> JsonDict:
    """A message shortcut, as Slack sends it; ``user_team``: the presser's workspace when it
    is not the app's (an external member of a Slack Connect channel)."""
    return {
        "type": "message_action",
        "token": "verification-token-unused",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": "astreinte-test", "enterprise_id": "E0VENDOR1", "enterprise_name": "Vendor"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": user_team or team_id, "name": user_id.lower()},
        "channel": {"id": channel_id, "name": "acme-support" if shared else "general"},
        "is_enterprise_install": False,
        "enterprise": {"id": "E0VENDOR1", "name": "Vendor"},
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": {"type": "message", "user_team": user_team or team_id, "source_team": user_team or team_id,
                    **message},
        "is_ext_shared_channel": shared,
    }


def reaction_added(*, user_id: str, reaction: str, channel_id: str, ts: str, item_user: str | None,
                   user_team: str | None = None) -> JsonDict:
    """The ``reaction_added`` event, as Slack sends it (``user_team`` in a shared channel)."""
    event: JsonDict = {
        "type": "reaction_added", "user": user_id, "reaction": reaction,
        "item": {"type": "message", "channel": channel_id, "ts": ts},
        "event_ts": f"{time.time():.6f}",
    }
    if item_user:
        event["item_user"] = item_user
    if user_team:
        event["user_team"] = event["source_team"] = user_team
    return event
