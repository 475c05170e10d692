"""The one Block Kit vocabulary of the bot: every message, modal and Home tab is built
from these functions, so Slack's limits are enforced here and only here.

Texts come in already rendered by ``messages.render`` (mrkdwn, escaped) or
``messages.render_plain`` (plain_text, shown verbatim); nothing here escapes user text.

Limits (Slack's): a text too long is cut by :func:`cut`, the one cutting rule (3000
characters a section or context text, 2000 a field, an input label or a hint, 150 a
header, 75 a button label or an option, 24 a modal's title, submit and close). Lists of
elements are clipped (100 options, 10 context elements, 25 buttons): a config with more
choices shows the first ones. Too many *blocks* (50 a message, 100 a modal or Home tab)
is a renderer's bug and raises ``ValueError``: every renderer budgets its own blocks
(the Home lists at most ``MAX_TICKETS``, a digest at most 40 lines), because a silently
shortened message could drop what matters.

Why our own builder rather than ``slack_sdk.models.blocks`` (decided by measurement:
``benchmarks/blocks.py``, figures in ``docs/benchmarks.md``): the same view code built on
slack_sdk's classes and ``to_dict()`` costs far more CPU: the acknowledge modal a button
opens, 1.4–2.4 ms more than these dicts (14–21×), the intake modal 4–12 ms more (6–16×), a
root post 2–2.7 ms more (2×), on two busy cores; a modal is built on every ``/incident`` and button, whose CPU per
request ``benchmarks/ack.py`` holds near bare Bolt's and whose ``views.open`` must reach
Slack within the trigger's 3 s. Their
call sites are longer (``SectionBlock(text=MarkdownTextObject(text=…))``) and their length
checks raise ``SlackObjectFormationError`` at ``to_dict()`` instead of cutting, so the
cutting rule below would be needed anyway. What Slack receives is plain JSON, and Bolt's
``ack`` and slack_sdk's ``views_open``/``chat_postMessage`` take these dicts as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from messages import SlackMarkup, escape_mrkdwn, render_plain, slack_date
from sla_core.policy import Policy

Block = dict[str, Any]
VALUE = "value"  # the action_id of every input element: the block_id names the field

SECTION_TEXT_MAX = 3000  # a section's text, a context element
FIELD_MAX = 2000  # one of a section's fields; an input's label and hint
FIELDS_MAX = 10  # fields in one section
HEADER_MAX = 150
BUTTON_TEXT_MAX = OPTION_MAX = 75  # a button's label; an option's text and description
TITLE_MAX = 24  # a modal's title, submit and close
BUTTON_VALUE_MAX = 2000
OPTIONS_MAX, CONTEXT_ELEMENTS_MAX, BUTTONS_MAX = 100, 10, 25
METADATA_MAX = 3000  # a view's private_metadata
MESSAGE_BLOCKS_MAX, VIEW_BLOCKS_MAX = 50, 100

ELLIPSIS = "…"
# The escapes a cut must not split: the three we write (escape_mrkdwn), and any other
# named or numeric entity a text may hold.
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,7});")
# A token: a mention, a channel, a link or a date token. None holds a newline or another
# bracket, and none is longer than a long URL with its label.
_TOKEN = re.compile(r"<[^<>\n]{1,1000}>")


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, ending in "…" when it had to be cut.

    The cut never splits an escape (``&amp;``) or a ``<…>`` token (a mention, a link, a
    date token): it moves back to just before it, so Slack never shows half a token or
    a stray ``&am``. A ``<`` never closed (plain text a user typed) is just a character.
    """
    if len(text) <= limit:
        return text
    end = limit - len(ELLIPSIS)
    amp = text.rfind("&", max(0, end - 9), end)
    if amp != -1:
        entity = _ENTITY.match(text, amp)
        if entity is not None and entity.end() > end:
            end = amp
    opening = text.rfind("<", 0, end)
    if opening != -1:
        token = _TOKEN.match(text, opening)
        if token is not None and token.end() > end:
            end = opening
    return text[:end] + ELLIPSIS


def _at_most(blocks: Iterable[Block], limit: int, where: str) -> list[Block]:
    out = list(blocks)
    if len(out) > limit:
        raise ValueError(f"{len(out)} blocks: Slack takes at most {limit} in {where}")
    return out


# ---- text objects --------------------------------------------------------------------
def plain(text: str, limit: int = SECTION_TEXT_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_MAX) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": cut(text, limit)}


def date_token(instant: datetime, language: str, policy: Policy) -> SlackMarkup:
    """A Slack date token whose fallback is written in the policy's time zone (Paris)."""
    return slack_date(instant.astimezone(policy.timezone), language)


def link(url: str, label: str) -> SlackMarkup:
    """A link we build ourselves (a permalink from Slack): both parts escaped."""
    return SlackMarkup(f"<{escape_mrkdwn(url)}|{escape_mrkdwn(label)}>")


# ---- layout blocks -------------------------------------------------------------------
def section(text: str, *, block_id: str | None = None, accessory: dict[str, Any] | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    if accessory is not None:
        block["accessory"] = accessory
    return block


def fields(texts: Sequence[str]) -> list[Block]:
    """Two-column fields, split into as many sections as Slack's 10-field limit needs."""
    items = [mrkdwn(t, FIELD_MAX) for t in texts]
    return [{"type": "section", "fields": items[i:i + FIELDS_MAX]} for i in range(0, len(items), FIELDS_MAX)]


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:CONTEXT_ELEMENTS_MAX]]}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_MAX)}


def divider() -> Block:
    return {"type": "divider"}


def button(action_id: str, label: str, value: str, *, style: str | None = None) -> Block:
    if len(value) > BUTTON_VALUE_MAX:
        raise ValueError(f"a button value of {len(value)} characters: Slack takes at most {BUTTON_VALUE_MAX}")
    element: Block = {"type": "button", "action_id": action_id, "value": value,
                      "text": plain(label, BUTTON_TEXT_MAX)}
    if style is not None:
        element["style"] = style
    return element


def actions(block_id: str, elements: Sequence[Block]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": list(elements[:BUTTONS_MAX])}


# ---- inputs --------------------------------------------------------------------------
def option(value: str, text: str, description: str | None = None) -> dict[str, Any]:
    opt: dict[str, Any] = {"text": plain(text, OPTION_MAX), "value": value}
    if description:
        opt["description"] = plain(description, OPTION_MAX)
    return opt


def static_select(options: Sequence[dict[str, Any]], *, initial: str | None = None,
                  action_id: str = VALUE) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": action_id,
                               "options": list(options[:OPTIONS_MAX])}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def checkboxes(options: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Boxes to tick; none ticked at first."""
    return {"type": "checkboxes", "action_id": VALUE, "options": list(options[:10])}


def text_input(*, multiline: bool = False, initial: str | None = None, max_length: int | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if max_length:
        element["max_length"] = max_length
    return element


def input_block(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
                hint: str | None = None) -> Block:
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, FIELD_MAX), "element": element,
                    "optional": optional}
    if hint:
        block["hint"] = plain(hint, FIELD_MAX)
    return block


# ---- surfaces ------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """One message to send: the notification fallback ``text`` and the ``blocks``."""

    text: str
    blocks: list[Block]

    def __post_init__(self) -> None:
        _at_most(self.blocks, MESSAGE_BLOCKS_MAX, "a message")


def modal(*, callback_id: str, title: str, blocks: Iterable[Block], language: str, submit: str | None,
          private_metadata: str = "", external_id: str | None = None) -> dict[str, Any]:
    """``submit`` names what the submit button does ("Acknowledge", never "Submit"); None:
    no submit button, the modal only informs."""
    if len(private_metadata) > METADATA_MAX:  # our own data: cutting it would corrupt it
        raise ValueError(f"private_metadata of {len(private_metadata)} characters: Slack takes {METADATA_MAX}")
    view: dict[str, Any] = {
        "type": "modal", "callback_id": callback_id, "title": plain(title, TITLE_MAX),
        "close": plain(render_plain("ui.cancel" if submit is not None else "ui.close", language), TITLE_MAX),
        "blocks": _at_most(blocks, VIEW_BLOCKS_MAX, "a modal"), "private_metadata": private_metadata,
    }
    if submit is not None:
        view["submit"] = plain(submit, TITLE_MAX)
    if external_id:
        view["external_id"] = external_id
    return view


def home(blocks: Iterable[Block]) -> dict[str, Any]:
    return {"type": "home", "blocks": _at_most(blocks, VIEW_BLOCKS_MAX, "a Home tab")}


# ---- reading a submitted view --------------------------------------------------------
def selected(values: Mapping[str, Any], block_id: str) -> str | None:
    """The value a user entered or chose in ``block_id`` of ``view.state.values``; None
    when there is none, or when what was sent is not of Slack's shape (a ``selected_option``
    that is a list, a value that is a number): a signed request can still carry anything."""
    block = values.get(block_id) if isinstance(values, Mapping) else None
    state = block.get(VALUE) if isinstance(block, Mapping) else None
    if not isinstance(state, Mapping):
        return None
    option_ = state.get("selected_option")
    if isinstance(option_, Mapping):
        value = option_.get("value")
    else:
        value = state.get("value")
    return value if isinstance(value, str) else None


def ticked(values: Mapping[str, Any], block_id: str) -> list[str]:
    """The values of the boxes ticked in ``block_id`` (checkboxes); anything else: none."""
    block = values.get(block_id) if isinstance(values, Mapping) else None
    state = block.get(VALUE) if isinstance(block, Mapping) else None
    chosen = state.get("selected_options") if isinstance(state, Mapping) else None
    if not isinstance(chosen, list):
        return []
    return [o["value"] for o in chosen if isinstance(o, Mapping) and isinstance(o.get("value"), str)]
