"""The Slack message a ticket was opened from ("Open a ticket from this message"): by
channel id and ts (channel names differ on each side of a Slack Connect channel), and its
permalink for agents. ``shared``: the channel is linked to the ticket's own account, so
the ticket's customer-visible messages also go to a thread under that message."""

from __future__ import annotations

from dataclasses import dataclass

PERMALINK_MAX = 500


@dataclass(frozen=True, kw_only=True)
class MessageSource:
    channel: str
    ts: str
    permalink: str | None = None
    shared: bool = False
