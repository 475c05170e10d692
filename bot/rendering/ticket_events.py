"""One logged event, told twice: in the ticket's thread for the agents (who did what, and
the SLA clocks it moved), and, for customer-visible events, in the reporter's DM: short,
and without buttons (the reporter answers from their card, ``reporter_card``, which is
re-rendered as the ticket changes, so no answered question keeps its buttons). Internal
notes never reach the reporter: the outbox owes them no REPORTER_EVENT, and
``render_reporter_event`` refuses them too."""

from __future__ import annotations

from typing import Any

import messages
from messages import DEFAULT_LANGUAGE, mention_user, render
from sla_core.clocks import ClockReport
from sla_core.policy import Policy
from sla_core.tickets.actions import CUSTOMER_VISIBLE, EventKind
from sla_core.tickets.records import clocks_of
from sla_core.tickets.roles import SYSTEM_ACTOR
from sla_core.tickets.views import EventView, TicketView

from bot.rendering.blocks import Outgoing, context, date_token, section
from bot.rendering.labels import moved_clocks, severity_name

# Events with a thread template of their own (messages ``outbound.event.<event>``; others
# get a generic line), and those the reporter is told about (declared with each action).
_THREAD_KEYS = frozenset(k for k in EventKind if f"outbound.event.{k.value}" in messages.keys(DEFAULT_LANGUAGE))
_REPORTER_KEYS = CUSTOMER_VISIBLE


class EventNotFound(LookupError):
    """The outbox names an event the ticket's log does not hold (it never should)."""


def event_at(ticket: TicketView, seq: int) -> EventView:
    for event in ticket.events:
        if event.seq == seq:
            return event
    raise EventNotFound(f"{ticket.ref} has no event #{seq}")


def clocks_around(ticket: TicketView, event: EventView, policy: Policy) -> tuple[ClockReport | None, ClockReport]:
    """The clocks just before and just after ``event``, from the engine (via the same
    wrapper the services use): what the event moved is their difference."""
    earlier = [e for e in ticket.events if e.seq < event.seq]
    upto = [*earlier, event]
    before = clocks_of(policy, opened_at=ticket.opened_at, events=earlier, now=event.at) if earlier else None
    return before, clocks_of(policy, opened_at=ticket.opened_at, events=upto, now=event.at)


def _actor(event: EventView) -> Any:
    return mention_user(event.actor_id) if event.actor_id and event.actor_id != SYSTEM_ACTOR else "Astreinte"


def _params(ticket: TicketView, event: EventView, lang: str) -> dict[str, Any]:
    p = event.payload
    kind = p.get("kind")
    return {
        "ref": ticket.ref, "title": ticket.title, "actor": _actor(event),
        "note": p.get("note") or "", "text": p.get("text") or "", "question": p.get("question") or "",
        "reason": p.get("reason") or "",
        "channel": render(f"outbound.channel.{p['channel']}", lang) if p.get("channel") in ("phone", "email", "slack")
        else p.get("channel") or "",
        "kind": render(f"outbound.resolution_kind.{kind}", lang) if kind in ("fix", "workaround") else kind or "",
        "from_severity": severity_name(p["from"], lang) if p.get("from") else "",
        "to_severity": severity_name(p["to"], lang) if p.get("to") else "",
        "what": event.type.value.replace("_", " "), "version": p.get("version") or "",
    }


def render_thread_event(ticket: TicketView, event: EventView, *, lang: str, policy: Policy) -> Outgoing:
    """The thread reply for one event: who did what, then the clocks it moved."""
    key = event.type.value if event.type in _THREAD_KEYS else "other"
    text = render(f"outbound.event.{key}", lang, **_params(ticket, event, lang))
    blocks = [section(text)]
    before, after = clocks_around(ticket, event, policy)
    moved = moved_clocks(before, after, lang, policy)
    if moved:
        blocks.append(context(" · ".join(moved)))
    return Outgoing(text=text, blocks=blocks)


def render_reporter_event(ticket: TicketView, event: EventView, *, lang: str, policy: Policy) -> Outgoing:
    """The reporter's DM for a customer-visible event: what happened, and where to answer
    when an answer is expected (their card, which carries the buttons)."""
    if event.type is EventKind.INTERNAL_NOTE:
        raise ValueError("an internal note is never sent to the reporter")
    params = _params(ticket, event, lang)
    key = event.type.value if event.type in _REPORTER_KEYS else "other"
    if event.type is EventKind.RESOLUTION_PROPOSED:
        _, after = clocks_around(ticket, event, policy)
        if after.auto_accept_at is not None:
            params["auto_accept"] = date_token(after.auto_accept_at, lang, policy)
        else:
            key = "resolution_proposed_no_deadline"
    text = render(f"outbound.reporter.{key}", lang, **params)
    return Outgoing(text=text, blocks=[section(text)])

