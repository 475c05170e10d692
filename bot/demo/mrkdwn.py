"""Slack's mrkdwn and Block Kit as a terminal shows them: what a person would read in
Slack, without the markup only Slack understands.

Tokens go first (``<!date^…|fallback>`` → the fallback, ``<@U…>`` → ``@name``,
``<url|label>`` → the label, ``<#C…>`` → ``#channel``), then the three escapes, last:
an escaped ``&lt;`` in user text can never be mistaken for a token."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Block = Mapping[str, Any]
_TOKEN = re.compile(r"<([^<>\n]*)>")
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")

# The emoji our catalogues use, as the characters a terminal can show.
EMOJI = {
    "red_circle": "🔴", "large_orange_circle": "🟠", "large_yellow_circle": "🟡", "white_circle": "⚪",
    "large_green_circle": "🟢", "bar_chart": "📊", "bell": "🔔", "chart_with_downwards_trend": "📉",
    "hourglass_flowing_sand": "⏳", "lock": "🔒", "no_entry_sign": "🚫", "rotating_light": "🚨",
    "warning": "⚠️", "white_check_mark": "✅", "wrench": "🔧", "zzz": "💤", "beetle": "🪲", "page_facing_up": "📄",
}


class Names:
    """Who and where an id is, for mentions: people by their Slack handle, channels by name."""

    def __init__(self, users: Mapping[str, str], channels: Mapping[str, str], *, field_separator: str = ": ") -> None:
        self.users = dict(users)
        self.channels = dict(channels)
        self.field_separator = field_separator  # "Status: …" in English, "Statut : …" in French

    def user(self, user_id: str) -> str:
        return "@" + self.users.get(user_id, user_id)

    def channel(self, channel_id: str) -> str:
        return self.channels.get(channel_id, "#" + channel_id)


def to_terminal(text: str, names: Names) -> str:
    """One mrkdwn string as plain text."""
    replace: Callable[[re.Match[str]], str] = lambda m: _token(m.group(1), names)  # noqa: E731
    plain = _TOKEN.sub(replace, text)
    plain = _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), plain)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _token(inner: str, names: Names) -> str:
    body, _, label = inner.partition("|")
    if body.startswith("!date^"):
        return label or body
    if body.startswith("@"):
        return names.user(body[1:])
    if body.startswith("#"):
        return "#" + label if label else names.channel(body[1:])
    if body.startswith("!subteam^"):
        return label or "@" + body.removeprefix("!subteam^")
    if body.startswith("!"):  # <!here>, <!channel>, <!everyone>
        return "@" + body[1:]
    return label or body  # a link


def _element_text(element: Mapping[str, Any], names: Names) -> str:
    text = element.get("text")
    if isinstance(text, Mapping):  # a button's or select's label object
        text = text.get("text", "")
    if not isinstance(text, str):
        return ""
    return text if element.get("type") == "plain_text" else to_terminal(text, names)


def _field(field: Mapping[str, Any], names: Names) -> str:
    """``*Status*\\nAcknowledged`` reads as ``Status: Acknowledged`` on one line."""
    text = _element_text(field, names)
    label, newline, value = text.partition("\n")
    if newline and label.startswith("*") and label.endswith("*"):
        return label.strip("*") + names.field_separator + value.replace("\n", " ")
    return text


def _control(element: Mapping[str, Any], names: Names) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{_element_text(element, names)}]"
    placeholder = element.get("placeholder")
    label = _element_text({"text": placeholder, "type": "plain_text"}, names) if placeholder else str(kind)
    return f"[{label} ▾]"


def block_lines(blocks: Iterable[Block], names: Names) -> list[str]:
    """The lines a reader sees in a message's blocks; buttons as ``[Label] [Label]``."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("section", "header"):
            if block.get("text"):
                lines += _element_text(block["text"], names).splitlines()
            fields = [_field(f, names) for f in block.get("fields") or []]
            if fields:
                lines += fields
            if block.get("accessory"):
                lines.append(_control(block["accessory"], names))
        elif kind == "context":
            lines += "  ".join(_element_text(e, names) for e in block.get("elements") or []).splitlines()
        elif kind == "actions":
            lines.append(" ".join(_control(e, names) for e in block.get("elements") or []))
        elif kind == "rich_text":
            lines.append("(rich text)")
    return lines


def message_lines(text: str, blocks: Iterable[Block] | None, names: Names) -> list[str]:
    """What Slack shows: the blocks when there are any, else the text."""
    if blocks:
        return block_lines(blocks, names)
    return to_terminal(text, names).splitlines()
