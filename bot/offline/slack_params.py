"""Reading Web API parameters the way Slack does, whichever encoding the client chose.

slack_sdk sends chat.postMessage and views.* as JSON, but other clients (and slack_sdk for
some methods) send forms, where booleans are "1"/"true" and structured fields (blocks,
view, metadata) are JSON strings. The fake's methods read parameters only through these.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.offline.fake_slack_workspace import PostedMessage

JsonDict = dict[str, Any]


class SlackApiFailure(Exception):
    """A Web API answer of `{"ok": false, "error": ...}` with HTTP 200, as Slack does."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def required(params: JsonDict, name: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        raise SlackApiFailure("invalid_arguments")
    return str(value)


def flag(value: Any) -> bool:
    """Booleans arrive as true/false in JSON and as "1"/"true" in forms."""
    return value is True or value == 1 or str(value).lower() in ("1", "true")


def json_field(params: JsonDict, name: str) -> Any:
    """Structured fields are objects in JSON bodies but JSON strings in forms."""
    value = params.get(name)
    if isinstance(value, str):
        if not value:
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise SlackApiFailure(f"invalid_{name}") from error
    return copy.deepcopy(value)


def text_and_blocks(params: JsonDict, previous: PostedMessage | None = None) -> tuple[str, Any]:
    text = params.get("text")
    blocks = json_field(params, "blocks")
    if text is None and blocks is None and previous is None:
        raise SlackApiFailure("no_text")
    if previous is not None and text is None and blocks is None:
        return previous.text, previous.blocks
    return str(text or ""), blocks


def view_param(params: JsonDict) -> JsonDict:
    view = json_field(params, "view")
    if not isinstance(view, dict) or "type" not in view:
        raise SlackApiFailure("invalid_arguments")
    return view


def within(messages: list[PostedMessage], params: JsonDict) -> list[PostedMessage]:
    """Apply `oldest`/`latest` (exclusive unless `inclusive`), comparing ts numerically."""
    inclusive = flag(params.get("inclusive"))
    oldest = float(params["oldest"]) if params.get("oldest") else None
    latest = float(params["latest"]) if params.get("latest") else None

    def keep(message: PostedMessage) -> bool:
        ts = float(message.ts)
        if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
            return False
        if latest is not None and (ts > latest or (ts == latest and not inclusive)):
            return False
        return True

    return [m for m in messages if keep(m)]
