"""Where a notice goes, in the desk's terms: a closed union of addresses.

The domain names a destination (the ticket's thread, a severity's channel, a rung of the
escalation chain, a person's DMs, an announcements channel) and never a Slack id, except
for the channels a deployer configured for announcements. ``bot/delivery/compose.py``
turns an address into a Slack channel, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sla_core.severity import Severity


class Rung(StrEnum):
    """A channel of the desk above the severity channels (``slack.channels``)."""

    LEADS = "leads"
    ON_CALL = "on_call"


@dataclass(frozen=True, kw_only=True)
class RootPost:
    """The ticket's root post in its severity channel, edited in place."""


@dataclass(frozen=True, kw_only=True)
class TicketThread:
    """A reply in the ticket's thread; ``broadcast`` echoes it to the channel."""

    broadcast: bool = False


@dataclass(frozen=True, kw_only=True)
class SeverityChannel:
    """A new top-level post in a severity's channel; ``None``: the ticket's severity at
    the time it is sent (a root post goes where the ticket is now)."""

    severity: Severity | None = None


@dataclass(frozen=True, kw_only=True)
class EscalationRung:
    """The leads' or the on-call channel. ``threaded``: a ticket's first notice there is a
    new post and every later one a reply in its thread (on-call pages: one thread per
    ticket, not a new post every ``page_every``); the sender finds the first one's ts in
    the outbox, where delivery records it."""

    rung: Rung
    threaded: bool = False


@dataclass(frozen=True, kw_only=True)
class DirectMessage:
    """A DM to ``user_id``; ``None``: to the ticket's reporter (in the ticket's language)."""

    user_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReporterCardDM:
    """The reporter's receipt DM, edited in place (where it landed: the sender looks it up)."""


@dataclass(frozen=True, kw_only=True)
class ClickedMessage:
    """The message a button was pressed on, edited in place: Slack names it (the button's
    container) when the button is pressed, so the address carries its channel and ts."""

    channel: str
    ts: str


@dataclass(frozen=True, kw_only=True)
class ReporterEmail:
    """The ticket's reporter, by e-mail (``bot/mail``), not in Slack."""


class Fallback(StrEnum):
    """Where an announcement goes when no channel is configured for its kind."""

    ANNOUNCEMENTS = "announcements"  # slack.channels.announcements (itself the leads' if unset)
    LEADS = "leads"


@dataclass(frozen=True, kw_only=True)
class AnnouncementChannel:
    """The channel the deployer configured for this kind of announcement (``channel``,
    e.g. ``maintenance.channel``), else ``otherwise``."""

    channel: str | None = None
    otherwise: Fallback = Fallback.ANNOUNCEMENTS


Address = (RootPost | TicketThread | SeverityChannel | EscalationRung | DirectMessage | AnnouncementChannel
           | ReporterCardDM | ClickedMessage | ReporterEmail)


def landing(address: Address, *, severity: Severity | None) -> Address:
    """The channel a message addressed so lands in, as an address, for counting messages
    per channel (digests): a thread reply or a root post lands in its severity's channel.
    ``severity`` is the ticket's; ``None`` for notices about no ticket."""
    if isinstance(address, (RootPost, TicketThread)):
        return SeverityChannel(severity=severity)
    if isinstance(address, SeverityChannel) and address.severity is None:
        return SeverityChannel(severity=severity)
    if isinstance(address, EscalationRung) and address.threaded:
        return EscalationRung(rung=address.rung)
    return address
