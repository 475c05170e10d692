"""How things look in Slack. ``blocks`` is the one Block Kit vocabulary (messages, modals,
the Home); ``card`` words a ticket once for every surface; the renderers here build what
the bot sends on its own (channel posts, thread replies, DMs) from the ticket's state,
translated through ``messages``. Pure functions: no Slack calls, no database; the sender
(``bot/delivery``) and the views (``bot/views``) call them."""

from bot.rendering.blocks import Outgoing
from bot.rendering.clicked import LIVE_BLOCKS, render_clicked
from bot.rendering.moved import render_severity_moved
from bot.rendering.receipt import render_receipt
from bot.rendering.ticket_events import EventNotFound, event_at, render_reporter_event, render_thread_event
from bot.rendering.ticket_root import agent_buttons, render_root

__all__ = [
    "LIVE_BLOCKS", "EventNotFound", "Outgoing", "agent_buttons", "event_at", "render_clicked", "render_receipt",
    "render_reporter_event",
    "render_root", "render_severity_moved", "render_thread_event",
]
