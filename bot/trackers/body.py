"""The issue's body, as each tracker writes it, from the draft the agent submitted (the
``bug_filed`` event's payload, already scrubbed of the reporter's personal data).

The body carries the idempotency marker ``astreinte-key: <outbox key>``: hidden in an HTML
comment on GitHub (Markdown shows nothing of it), in a small footer line and as a label on
Jira (whose Atlassian Document Format has no hidden text; the label is what JQL finds).

The headings are English on purpose: the body is read by the vendor's developers in their
tracker, not by a desk member in Slack, and a tracker holds one language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MARKER = "astreinte-key"


@dataclass(frozen=True, kw_only=True)
class IssueDraft:
    ticket_ref: str
    title: str
    product_version: str
    description: str
    code_sample: str
    impact: str
    marker: str  # the outbox key of the job filing it

    @classmethod
    def from_event(cls, *, ticket_ref: str, payload: Mapping[str, Any], marker: str) -> IssueDraft:
        return cls(ticket_ref=ticket_ref, title=str(payload.get("title") or ""),
                   product_version=str(payload.get("product_version") or ""),
                   description=str(payload.get("description") or ""),
                   code_sample=str(payload.get("code_sample") or ""), impact=str(payload.get("impact") or ""),
                   marker=marker)

    @property
    def marker_line(self) -> str:
        return f"{MARKER}: {self.marker}"

    @property
    def label(self) -> str:
        """The marker as a Jira label (no spaces; letters, digits, - and _)."""
        return "astreinte-" + re.sub(r"[^A-Za-z0-9_-]+", "-", self.marker).strip("-")


def _fence(code: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code}\n{fence}"


def markdown_body(draft: IssueDraft) -> str:
    """GitHub: Markdown, the marker in an HTML comment."""
    parts = [f"**Product version:** {draft.product_version}", "", "### Description", "", draft.description]
    if draft.code_sample:
        parts += ["", "### Code sample", "", _fence(draft.code_sample)]
    parts += ["", "### Impact", "", draft.impact, "", f"Support ticket: {draft.ticket_ref}", "",
              f"<!-- {draft.marker_line} -->"]
    return "\n".join(parts)


def _text(value: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": value}] if value else []


def _paragraphs(value: str) -> list[dict[str, Any]]:
    return [{"type": "paragraph", "content": _text(p)} for p in value.split("\n\n") if p.strip()] or \
        [{"type": "paragraph", "content": []}]


def _heading(value: str) -> dict[str, Any]:
    return {"type": "heading", "attrs": {"level": 3}, "content": _text(value)}


def adf_body(draft: IssueDraft) -> dict[str, Any]:
    """Jira Cloud: an Atlassian Document Format document (REST v3 takes no wiki markup)."""
    content: list[dict[str, Any]] = [
        {"type": "paragraph", "content": [{"type": "text", "text": "Product version: ", "marks": [{"type": "strong"}]},
                                          *_text(draft.product_version)]},
        _heading("Description"), *_paragraphs(draft.description),
    ]
    if draft.code_sample:
        content += [_heading("Code sample"), {"type": "codeBlock", "content": _text(draft.code_sample)}]
    content += [_heading("Impact"), *_paragraphs(draft.impact),
                {"type": "paragraph", "content": _text(f"Support ticket: {draft.ticket_ref}")},
                {"type": "paragraph", "content": [{"type": "text", "text": draft.marker_line,
                                                   "marks": [{"type": "code"}]}]}]
    return {"type": "doc", "version": 1, "content": content}
