"""What a Slack request must look like before Bolt or a listener reads it.

Bolt and our listeners index payloads as Slack sends them (``body["user"]["id"]``,
``body["actions"][0]["action_id"]``, ``view["state"]["values"]``…). A body of another
shape, even correctly signed, would crash deep inside Bolt (some of it before Bolt's own
error handling starts) or in a listener, and end as a server error. Here each surface
declares the fields it reads and their types, once; a request that does not fit is
refused with a 400 naming the first field at fault, before anything else runs.

Every string must also be one a database can store: no NUL character (PostgreSQL
refuses it in text) and no lone surrogate (it cannot be encoded in UTF-8). Slack never
sends either.

A JSON Schema library would also do, at the cost of a new dependency and of time on the
ack path for a handful of type tests per surface: deliberately hand-written."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl


class Missing:
    """Marks a field that may be absent (as a type in an ``Allowed`` tuple)."""


MISSING = Missing()
NoneType = type(None)
Allowed = tuple[type, ...]

# Bolt reads these from any body to build its context (slack_bolt/request/internals.py).
_CONTEXT: dict[str, Allowed] = {
    "team": (dict, str, NoneType, Missing), "enterprise": (dict, str, NoneType, Missing),
    "user": (dict, str, NoneType, Missing), "channel": (dict, str, NoneType, Missing),
    "authorizations": (list, NoneType, Missing), "authorizations.0": (dict, Missing),
    "response_urls": (list, Missing), "response_urls.0": (dict, Missing),
    "event": (dict, Missing), "view": (dict, Missing), "message": (dict, Missing),
    "function_data": (dict, Missing), "item": (dict, Missing), "assistant_thread": (dict, Missing),
}
_USER: dict[str, Allowed] = {"user": (dict,), "user.id": (str,)}
_VIEW: dict[str, Allowed] = {
    "view": (dict,), "view.id": (str,), "view.callback_id": (str,), "view.private_metadata": (str, Missing),
    "view.blocks": (list, Missing), "view.state": (dict, Missing), "view.state.values": (dict, Missing),
}

# Per surface (a slash command has no ``type``: it is named by its ``command`` field).
SURFACES: dict[str, dict[str, Allowed]] = {
    "command": {"command": (str,), "user_id": (str,), "trigger_id": (str,), "text": (str, Missing)},
    "block_actions": {
        **_USER, "trigger_id": (str,), "response_url": (str, Missing), "container": (dict, Missing),
        "actions": (list,), "actions.0": (dict,), "actions.0.action_id": (str,),
        "actions.0.block_id": (str, Missing), "actions.0.value": (str, Missing),
        "actions.0.selected_option": (dict, NoneType, Missing),
    },
    "view_submission": {**_USER, **_VIEW, "view.state": (dict,), "view.state.values": (dict,)},
    "view_closed": {**_USER, **_VIEW},
    "event_callback": {"event_id": (str,), "event": (dict,), "event.type": (str,),
                       # a user id, or (user_change) the user object, which Bolt reads by its id
                       "event.user": (str, dict, Missing), "event.tab": (str, Missing)},
    "url_verification": {"challenge": (str,)},
}
_NAMES = {dict: "an object", list: "a list", str: "a string", NoneType: "null", Missing: "absent"}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REASON_MAX = 120
MAX_DEPTH = 40  # Slack's deepest payloads (rich text in a modal's state) nest about 12 levels


class Malformed(ValueError):
    """A request no listener can read; ``reason`` is short and safe to send back."""

    def __init__(self, reason: str) -> None:
        # The reason may quote the sender's keys: printable only, and short, for the log's sake.
        reason = "".join(c if c.isprintable() else "?" for c in reason)
        self.reason = reason if len(reason) <= REASON_MAX else reason[:REASON_MAX - 1] + "…"
        super().__init__(self.reason)


def parse_body(text: str, content_type: str | None) -> dict[str, Any]:
    """The body as Bolt will read it (``slack_bolt.request.internals.parse_body``), or
    ``Malformed``: JSON that does not parse, or is not an object."""
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        return _object(text, "the body")
    if "payload" in text:
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        return {} if payload is None else _object(payload, "payload")
    return dict(parse_qsl(text, keep_blank_values=True))


def check(body: Mapping[str, Any], *, raw: str | None = None) -> None:
    """Raise ``Malformed`` unless ``body`` has what its surface's readers need. ``raw``,
    the text ``body`` was parsed from, lets a body with no trace of NUL or of a surrogate
    skip the walk through every string (the common case, on the ack path)."""
    surface = "command" if "command" in body else body.get("type")
    _check_fields(body, _CONTEXT)
    if isinstance(surface, str) and surface in SURFACES:
        _check_fields(body, SURFACES[surface])
    if raw is not None and not _may_spell_unstorable(raw):
        return
    where = _unstorable(body, "", MAX_DEPTH)
    if where is not None:
        raise Malformed(f"{where or 'a key'} holds a NUL character or an unpaired surrogate")


def _may_spell_unstorable(raw: str) -> bool:
    """Whether ``raw`` may spell a NUL or a lone surrogate once parsed. JSON spells them only
    as a ``\\u`` escape (lower-case u), and in a form body any of its two characters may be
    percent-encoded; a NUL may also come raw or as ``%00``. A sound superset (the walk
    decides), of substring tests: a pure ASCII body, most of them, skips the walk."""
    low = raw.lower()  # percent-encodings' hex digits may come in either case
    return "%00" in low or "\x00" in low or any(s in low for s in ("\\u", "\\%75", "%5cu", "%5c%75"))


def _object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:  # JSONDecodeError, and integers past Python's 4,300 digits
        raise Malformed(f"{what} is not valid JSON") from None
    except RecursionError:
        raise Malformed(f"{what} is nested too deeply") from None
    if not isinstance(value, dict):
        raise Malformed(f"{what} is not a JSON object")
    return value


def _check_fields(body: Mapping[str, Any], fields: Mapping[str, Allowed]) -> None:
    for path, allowed in fields.items():  # parents come before their fields
        value = _at(body, path)
        if not isinstance(value, allowed):
            wanted = " or ".join(_NAMES[t] for t in allowed if t is not Missing)
            raise Malformed(f"{path} must be {wanted}" if Missing in allowed or value is not MISSING
                            else f"{path} is missing")


def _at(body: Any, path: str) -> Any:
    node = body
    for key in path.split("."):
        if isinstance(node, dict):
            node = node.get(key, MISSING)
        elif isinstance(node, list) and key.isdigit():
            node = node[int(key)] if int(key) < len(node) else MISSING
        else:
            return MISSING  # under a parent of another type, already refused or allowed absent
    return node


def _unstorable(node: Any, path: str, depth: int) -> str | None:
    """The path of the first string that no database could store, if any."""
    if depth < 0:
        raise Malformed(f"{path} is nested too deeply")
    if isinstance(node, str):
        return path if _UNSTORABLE.search(node) else None
    if isinstance(node, dict):
        for key, value in node.items():
            if _UNSTORABLE.search(key):
                return path or "a key"
            found = _unstorable(value, f"{path}.{key}" if path else key, depth - 1)
            if found is not None:
                return found
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found = _unstorable(value, f"{path}.{i}", depth - 1)
            if found is not None:
                return found
    return None
