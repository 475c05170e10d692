"""The small modals behind the agents' buttons on the root post and the reporter's
"reject" button: one per action needing input. ``private_metadata`` is the ticket ref;
the block ids name what the service takes (``channel``, ``note``, ``text``, ``reason`` …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.rendering import action_ids as ids
from bot.rendering import blocks as bk
from messages import render, render_plain
from sla_core.severity import Severity
from sla_core.tickets.queries import TicketParties
from sla_core.tickets.service import CALLBACK_CHANNELS, RESOLUTION_KINDS

Fields = Callable[[TicketParties, str], list[bk.Block]]


def _text(block_id: str, label_key: str, *, optional: bool = False) -> Fields:
    return lambda _t, lang: [bk.input_block(block_id, render_plain(label_key, lang),
                                            bk.text_input(multiline=True, max_length=2900), optional=optional)]


def _acknowledge(_t: TicketParties, lang: str) -> list[bk.Block]:
    return [bk.input_block("channel", render_plain("act.channel", lang), bk.static_select(
                [bk.option(c, render_plain(f"act.channel_option.{c}", lang)) for c in CALLBACK_CHANNELS])),
            *_text("note", "act.note", optional=True)(_t, lang)]


def _severity(ticket: TicketParties, lang: str) -> list[bk.Block]:
    return [bk.input_block("severity", render_plain("act.severity", lang), bk.static_select(
                [bk.option(s.value, render_plain(f"severity.{s.value}", lang),
                           render_plain(f"severity_criteria.{s.value}", lang))
                 for s in Severity if s is not ticket.severity])),
            *_text("reason", "act.reason")(ticket, lang)]


def _propose(ticket: TicketParties, lang: str) -> list[bk.Block]:
    return [bk.input_block("kind", render_plain("act.kind", lang), bk.static_select(
                [bk.option(k, render_plain(f"act.kind_option.{k}", lang)) for k in RESOLUTION_KINDS])),
            *_text("text", "act.resolution_text")(ticket, lang)]


@dataclass(frozen=True)
class ActionModal:
    callback_id: str  # also names the title key: modal.<name>.title
    fields: Fields

    @property
    def name(self) -> str:
        return self.callback_id.removeprefix("modal.")


# Button action_id → the modal it opens.
MODALS: dict[str, ActionModal] = {
    ids.TICKET_ACKNOWLEDGE: ActionModal("modal.acknowledge", _acknowledge),
    ids.TICKET_UPDATE: ActionModal("modal.update", _text("text", "act.update_text")),
    ids.TICKET_NOTE: ActionModal("modal.note", _text("text", "act.note_text")),
    ids.TICKET_SEVERITY: ActionModal("modal.severity", _severity),
    ids.TICKET_WAITING: ActionModal("modal.waiting", _text("question", "act.question")),
    ids.TICKET_CUSTOMER_REPLIED: ActionModal("modal.customer_replied", _text("text", "act.reply_text")),
    ids.TICKET_PROPOSE: ActionModal("modal.propose", _propose),
    ids.TICKET_REOPEN: ActionModal("modal.reopen", _text("reason", "act.reopen_reason")),
    ids.REPORTER_REJECT: ActionModal("modal.reject", _text("reason", "act.reject_reason")),
}


def action_modal(spec: ActionModal, ticket: TicketParties, language: str) -> dict[str, Any]:
    out = [bk.section(render("act.ticket", language, ref=ticket.ref, title=ticket.title)),
           *spec.fields(ticket, language)]
    return bk.modal(callback_id=spec.callback_id, title=render_plain(f"modal.{spec.name}.title", language),
                    blocks=out, language=language, private_metadata=ticket.ref)
