"""A Slack message as the intake form's first values: its mrkdwn made readable again, cut
to the form's limits (``sla_core/field_limits.py``), and the message's whereabouts carried
through the modal's ``private_metadata`` to the submission.

The unescaping is hand-written: Slack's message markup has no maintained Python parser,
and only its entities and the three escaped characters need undoing for a form's text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sla_core.field_limits import TICKET_FIELDS
from sla_core.tickets.source import PERMALINK_MAX, MessageSource

# <@U123|name> <#C123|name> <!here> <!subteam^S1|@team> <https://x|label> <mailto:a@b|a@b>
_ENTITY = re.compile(r"<([^<>]+)>")
_ELLIPSIS = "…"
_PERMALINK = re.compile(r"https://[^\s<>|]+")


def plain_text(mrkdwn: str) -> str:
    """The message's text as its author meant it: mentions as @name (or @id), links as
    "label (url)", then Slack's three escaped characters back."""
    def entity(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            name = label or target[1:].split("^")[0]
            return name if name.startswith("@") else "@" + name
        if target.startswith("mailto:"):
            return label or target[len("mailto:"):]
        return f"{label} ({target})" if label and label != target else target
    text = _ENTITY.sub(entity, mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - len(_ELLIPSIS)].rstrip() + _ELLIPSIS


def prefill(mrkdwn: str) -> dict[str, str]:
    """Title: the message's first line; description: the whole message; each within its
    field's limit (an ellipsis says where it was cut)."""
    text = plain_text(mrkdwn).strip()
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return {"title": cut(first, TICKET_FIELDS["title"].max_length),
            "description": cut(text, TICKET_FIELDS["description"].max_length)}


@dataclass(frozen=True, kw_only=True)
class FromMessage:
    """What the intake modal's submission needs to know of the message it was opened from."""

    channel: str
    ts: str
    permalink: str | None
    author: str | None  # its Slack user (an agent opens the ticket on the author's behalf)

    def encode(self) -> str:
        return json.dumps({"from": {"c": self.channel, "ts": self.ts, "p": self.permalink, "by": self.author}},
                          separators=(",", ":"))

    @property
    def source(self) -> MessageSource:
        return MessageSource(channel=self.channel, ts=self.ts, permalink=self.permalink)


def safe_permalink(value: object) -> str | None:
    """A permalink as Slack gives it, or None (used inside mrkdwn link brackets)."""
    if isinstance(value, str) and len(value) <= PERMALINK_MAX and _PERMALINK.fullmatch(value):
        return value
    return None


def decode(private_metadata: str | None) -> FromMessage | None:
    """The message the modal was opened from, or None (a plain ``/incident``)."""
    if not private_metadata or not private_metadata.startswith("{"):
        return None
    try:
        data = json.loads(private_metadata)["from"]
        channel, ts, author = data["c"], data["ts"], data.get("by")
    except (ValueError, KeyError, TypeError):
        return None
    if not (isinstance(channel, str) and isinstance(ts, str)) or (author is not None and not isinstance(author, str)):
        return None
    return FromMessage(channel=channel, ts=ts, permalink=safe_permalink(data.get("p")), author=author)
