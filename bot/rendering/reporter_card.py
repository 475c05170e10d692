"""The reporter's card: their receipt DM, re-rendered from the ticket's state on every
change they would notice (``chat.update``, through the outbox's REPORTER_CARD notices),
as the root post is for the agents.

It says where the ticket stands in the reporter's words, the last thing they (or we, for
them) decided, the next commitments from the live clocks ("we will call you back by …",
"paused while we wait for your answer") and the buttons the reporter needs now: accept
or reject while a resolution is proposed, "I've replied" while we wait on them, reopen
while the ticket is resolved and within the reopening window, and, on any ticket until
one was asked for, a request for a root-cause analysis. The event DMs stay short
and carry no buttons, so no button is ever left behind on a message whose moment passed.

The status, severity and clocks come from the one ticket card (``card.py``); only the
reporter's wording of them lives here (``outbound.reporter_card.*``)."""

from __future__ import annotations

from datetime import datetime

from messages import mention_user, render, render_plain
from sla_core.clocks import ClockState, ClockStatus
from sla_core.policy import Policy
from sla_core.tickets.actions import EventKind
from sla_core.tickets.status import Status
from sla_core.tickets.views import EventView, TicketView

from bot.rendering import action_ids
from bot.rendering.blocks import Block, actions, button, date_token

REPORTER_CARD_ACTIONS_BLOCK = "reporter_card_actions"
# The last of these events is the reporter's latest decision (or ours on their behalf).
_OUTCOMES = (EventKind.RESOLUTION_ACCEPTED, EventKind.RESOLUTION_AUTO_ACCEPTED, EventKind.RESOLUTION_REJECTED,
             EventKind.CUSTOMER_REPLIED, EventKind.REOPENED)


def state_line(ticket: TicketView, lang: str) -> str:
    """Where the ticket stands, as the reporter would say it."""
    return render(f"outbound.reporter_card.state.{ticket.status.value}", lang)


def outcome_line(ticket: TicketView, lang: str, policy: Policy) -> str | None:
    """The last decision about the ticket the reporter took part in: "You accepted the
    resolution on …"; None before any."""
    latest = next((e for e in reversed(ticket.events) if e.type in _OUTCOMES), None)
    if latest is None:
        return None
    return render(f"outbound.reporter_card.outcome.{latest.type.value}", lang, **_who(ticket, latest),
                  at=date_token(latest.at, lang, policy))


def _who(ticket: TicketView, event: EventView) -> dict[str, object]:
    return {"you": event.actor_id == ticket.reporter_id,
            "actor": mention_user(event.actor_id) if event.actor_id else ""}


def commitments(ticket: TicketView, lang: str, policy: Policy, *, reopen_until: datetime | None) -> list[str]:
    """The next commitments, from the clocks as they run now, in the reporter's words."""
    clocks, status = ticket.clocks, ticket.status
    if status is Status.CLOSED:
        return [render("outbound.reporter_card.next.closed", lang)]
    if status is Status.RESOLVED:
        out = [render("outbound.reporter_card.next.resolved", lang,
                      at=date_token(ticket.resolved_at, lang, policy) if ticket.resolved_at else "—")]
        if reopen_until is not None:
            out.append(render("outbound.reporter_card.next.reopen_until", lang,
                              until=date_token(reopen_until, lang, policy)))
        return out
    out = []
    if status is Status.WAITING_ON_CUSTOMER:
        out.append(render("outbound.reporter_card.next.paused_waiting", lang))
    elif status is Status.RESOLUTION_PROPOSED:
        auto = clocks.auto_accept_at
        out.append(render("outbound.reporter_card.next.paused_proposal", lang,
                          auto_accept=date_token(auto, lang, policy) if auto is not None else ""))
    for name, clock in (("callback", clocks.callback), ("update", clocks.update), ("resolution", clocks.resolution)):
        due = clock.due or clock.limit
        if _counting(clock) and due is not None:
            out.append(render(f"outbound.reporter_card.next.{name}", lang, due=date_token(due, lang, policy),
                              late=clock.state is ClockStatus.BREACHED))
    return out


def _counting(clock: ClockState) -> bool:
    return clock.is_running and not clock.paused


def reporter_buttons(ticket: TicketView, lang: str, *, reopen_until: datetime | None,
                     now: datetime | None = None) -> list[Block]:
    """The buttons the reporter needs now, in an actions block (or none)."""
    ref, status = ticket.ref, ticket.status
    elements: list[Block] = []
    if status is Status.RESOLUTION_PROPOSED:
        elements = [button(action_ids.REPORTER_ACCEPT, render_plain("outbound.button.reporter_accept", lang), ref,
                           style="primary"),
                    button(action_ids.REPORTER_REJECT, render_plain("outbound.button.reporter_reject", lang), ref,
                           style="danger")]
    elif status is Status.WAITING_ON_CUSTOMER:
        elements = [button(action_ids.REPORTER_REPLIED, render_plain("outbound.button.reporter_replied", lang), ref,
                           style="primary")]
    elif status is Status.RESOLVED and reopen_until is not None and (now is None or now <= reopen_until):
        elements = [button(action_ids.REPORTER_REOPEN, render_plain("outbound.button.reporter_reopen", lang), ref)]
    if not any(e.type is EventKind.RCA_REQUESTED for e in ticket.events):
        # The reporter may ask for a root-cause analysis on any ticket, open or not, once
        # (the domain refuses a second: ``rca_already_requested``). It sits last in the same
        # row, unstyled, so the choice the status asks for stays the prominent one.
        elements.append(button(action_ids.REPORTER_RCA, render_plain("outbound.button.reporter_rca", lang), ref))
    return [actions(REPORTER_CARD_ACTIONS_BLOCK, elements)] if elements else []
