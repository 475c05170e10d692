"""Small Block Kit builders, so the views read as what they show and Slack's limits are
enforced in one place (plain_text 75 chars for options, 3000 for a section, 24 for a
modal title, 3000 for private_metadata)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from messages import render_plain

Block = dict[str, Any]
VALUE = "value"  # the action_id of every input element: the block_id names the field
OPTION_MAX, SECTION_MAX, TITLE_MAX, METADATA_MAX = 75, 3000, 24, 3000
MODAL_BLOCKS_MAX = 100


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = SECTION_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, SECTION_MAX)}


def section(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts][:10]}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, 150)}


def divider() -> Block:
    return {"type": "divider"}


def option(value: str, text: str, description: str | None = None) -> dict[str, Any]:
    opt: dict[str, Any] = {"text": plain(text, OPTION_MAX), "value": value}
    if description:
        opt["description"] = plain(description, OPTION_MAX)
    return opt


def static_select(options: Sequence[dict[str, Any]], *, initial: str | None = None,
                  action_id: str = VALUE) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": action_id, "options": list(options)[:100]}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def text_input(*, multiline: bool = False, initial: str | None = None, max_length: int | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if max_length:
        element["max_length"] = max_length
    return element


def input_block(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
                hint: str | None = None) -> Block:
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, 2000), "element": element,
                    "optional": optional}
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def modal(*, callback_id: str, title: str, blocks: Iterable[Block], language: str, submit: bool = True,
          private_metadata: str = "", external_id: str | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal", "callback_id": callback_id, "title": plain(title, TITLE_MAX),
        "close": plain(render_plain("ui.cancel" if submit else "ui.close", language)),
        "blocks": list(blocks)[:MODAL_BLOCKS_MAX], "private_metadata": private_metadata[:METADATA_MAX],
    }
    if submit:
        view["submit"] = plain(render_plain("ui.submit", language))
    if external_id:
        view["external_id"] = external_id
    return view


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
