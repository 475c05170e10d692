"""A message whose button did its job, edited in place (``chat.update`` through the
outbox's CLICKED_MESSAGE notice): it keeps what it said, loses its buttons and says what
was done, by whom and when ("Snoozed for 30 min by @x", "You accepted the resolution on …").

Messages re-rendered from the ticket's state anyway (the root post, the reporter's card)
are not edited this way: their blocks are named in ``LIVE_BLOCKS``."""

from __future__ import annotations

import messages
from messages import DEFAULT_LANGUAGE, SlackMarkup, mention_user, render
from sla_core.policy import Policy
from sla_core.tickets.actions import EventKind
from sla_core.tickets.views import EventView, TicketView

from bot.rendering.blocks import Outgoing, context, date_token, section
from bot.rendering.reporter_card import REPORTER_CARD_ACTIONS_BLOCK
from bot.rendering.ticket_root import ROOT_ACTIONS_BLOCK

# Action blocks of messages rendered again from the ticket's state on every change.
LIVE_BLOCKS = frozenset({ROOT_ACTIONS_BLOCK, REPORTER_CARD_ACTIONS_BLOCK})
# Agents' notices in the channel speak the channel's language; the rest is the reporter's.
_IN_CHANNEL = frozenset({EventKind.REMINDER_SNOOZED})
_WORDED = frozenset(k for k in EventKind if f"outbound.clicked.{k.value}" in messages.keys(DEFAULT_LANGUAGE))


def render_clicked(ticket: TicketView, event: EventView, *, reporter_lang: str, channel_lang: str,
                   policy: Policy, said: str = "") -> Outgoing:
    """The clicked message after ``event``: ``said`` (its own text, which we wrote), then
    one line saying what was done; no buttons."""
    lang = channel_lang if event.type in _IN_CHANNEL else reporter_lang
    key = event.type.value if event.type in _WORDED else "other"
    done = render(f"outbound.clicked.{key}", lang, ref=ticket.ref, you=event.actor_id == ticket.reporter_id,
                  actor=mention_user(event.actor_id) if event.actor_id else "",
                  at=date_token(event.at, lang, policy), minutes=event.payload.get("minutes") or "",
                  what=event.type.value.replace("_", " "))
    # ``said`` is the text of our own message, echoed back by Slack: already mrkdwn.
    blocks = [section(SlackMarkup(said)), context(done)] if said else [section(done)]
    return Outgoing(text=f"{said}\n{done}" if said else done, blocks=blocks)

