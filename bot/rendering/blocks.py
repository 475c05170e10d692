"""Block Kit building blocks and the value every renderer returns.

Texts come in already rendered by ``messages.render`` (mrkdwn, escaped) or
``messages.render_plain`` (plain_text, shown verbatim); nothing here touches user text.
Slack's limits are enforced here, once: 3000 characters a section text, 10 fields a
section, 2000 characters a field, 75 characters a button label, 50 blocks a message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from messages import SlackMarkup, escape_mrkdwn, slack_date
from sla_core.policy import Policy
from sla_core.severity import Severity

Block = dict[str, Any]
SECTION_TEXT_MAX, FIELD_MAX, FIELDS_MAX, BUTTON_TEXT_MAX, BLOCKS_MAX = 3000, 2000, 10, 75, 50

SEVERITY_EMOJI = {
    Severity.CRITICAL: ":red_circle:",
    Severity.IMPORTANT: ":large_orange_circle:",
    Severity.LOW: ":large_yellow_circle:",
    Severity.NONE: ":white_circle:",
}


@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """One message to send: the notification fallback ``text`` and the ``blocks``."""

    text: str
    blocks: list[Block]

    def __post_init__(self) -> None:
        if len(self.blocks) > BLOCKS_MAX:
            raise ValueError(f"{len(self.blocks)} blocks: Slack takes at most {BLOCKS_MAX} a message")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, SECTION_TEXT_MAX)}}


def fields(texts: Sequence[str]) -> list[Block]:
    """Two-column fields, split into as many sections as Slack's 10-field limit needs."""
    items = [{"type": "mrkdwn", "text": _cut(t, FIELD_MAX)} for t in texts]
    return [{"type": "section", "fields": items[i:i + FIELDS_MAX]} for i in range(0, len(items), FIELDS_MAX)]


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text, SECTION_TEXT_MAX)}]}


def divider() -> Block:
    return {"type": "divider"}


def button(action_id: str, label: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {"type": "button", "action_id": action_id, "value": value,
                      "text": {"type": "plain_text", "text": _cut(label, BUTTON_TEXT_MAX), "emoji": True}}
    if style is not None:
        element["style"] = style
    return element


def actions(block_id: str, elements: Sequence[Block]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def date_token(instant: datetime, language: str, policy: Policy) -> SlackMarkup:
    """A Slack date token whose fallback is written in the policy's time zone (Paris)."""
    return slack_date(instant.astimezone(policy.timezone), language)


def link(url: str, label: str) -> SlackMarkup:
    """A link we build ourselves (a permalink from Slack): both parts escaped."""
    return SlackMarkup(f"<{escape_mrkdwn(url)}|{escape_mrkdwn(label)}>")
