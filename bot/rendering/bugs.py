"""How a ticket's bugs read in Slack: the lines of the ticket card (root post, ``/incident
status``), the words of the thread's lines about them, and what the reporter may be told.

Everything comes from the ticket's log (``bug_filed``, ``bug_linked``, ``bug_recorded``,
``bug_status_changed``), so every surface that renders the ticket shows its bugs the same
way, with no query of its own. The reporter sees the customer-visible part only: whether
the bug is fixed, and the version a fix is planned in; never the tracker's link, key or
comments (their templates are given none of those)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from messages import SlackMarkup, escape_mrkdwn, render
from sla_core.tickets.actions import EventKind
from sla_core.tickets.views import EventView, TicketView

BUG_EVENTS = frozenset({EventKind.BUG_FILED, EventKind.BUG_LINKED, EventKind.BUG_RECORDED,
                        EventKind.BUG_STATUS_CHANGED})
# A closed issue whose status says no fix was made (GitHub's state_reason, Jira's usual resolutions).
NOT_FIXED = frozenset({"not_planned", "duplicate", "won't do", "won't fix", "cannot reproduce", "declined"})


def bug_link(url: str, key: str) -> SlackMarkup:
    """``<url|key>`` for an http(s) URL of ours; the key alone (escaped) otherwise."""
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc and not any(c in url for c in " |<>\n"):
        return SlackMarkup(f"<{escape_mrkdwn(url)}|{escape_mrkdwn(key)}>")
    return SlackMarkup(escape_mrkdwn(key))


@dataclass(frozen=True, kw_only=True)
class BugState:
    key: str
    url: str
    title: str = ""
    state: str = "unknown"  # unknown | open | closed
    status: str = ""
    fix_version: str | None = None


@dataclass(frozen=True, kw_only=True)
class TicketBugs:
    known: tuple[BugState, ...]  # in the order they were linked
    filing: int  # filings not yet answered by the tracker


def ticket_bugs(ticket: TicketView) -> TicketBugs:
    """The ticket's bugs as its log tells them, each at its latest known state."""
    bugs: dict[str, BugState] = {}
    pending: set[int] = set()
    for event in ticket.events:
        p = event.payload
        if event.type is EventKind.BUG_FILED:
            pending.add(event.seq)
        elif event.type is EventKind.BUG_LINKED:  # with its state when the bug was already known
            bugs.setdefault(str(p["key"]), _state(p))
        elif event.type in (EventKind.BUG_RECORDED, EventKind.BUG_STATUS_CHANGED):
            pending.discard(p.get("filed_seq"))  # type: ignore[arg-type]
            bugs.pop(str(p["key"]), None)
            bugs[str(p["key"])] = _state(p)
    return TicketBugs(known=tuple(bugs.values()), filing=len(pending))


def _state(p: Mapping[str, Any]) -> BugState:
    return BugState(key=str(p["key"]), url=str(p.get("url") or ""), title=str(p.get("title") or ""),
                    state=str(p.get("state") or "unknown"), status=str(p.get("status") or ""),
                    fix_version=p.get("fix_version") or None)


def state_words(bug: BugState, lang: str) -> str:
    if bug.state == "unknown":
        return render("bugs.state.unknown", lang)
    return render(f"bugs.state.{bug.state}", lang, status=bug.status, fix_version=bug.fix_version or "")


def bug_lines(ticket: TicketView, lang: str) -> tuple[str, ...]:
    """The card's lines for agents: each bug's link and state, and the filings under way."""
    bugs = ticket_bugs(ticket)
    lines = [render("bugs.card.line", lang, bug=bug_link(b.url, b.key), title=b.title, state=state_words(b, lang))
             for b in bugs.known]
    if bugs.filing:
        lines.append(render("bugs.card.filing", lang, count=bugs.filing))
    return tuple(lines)


def event_params(event: EventView, lang: str) -> dict[str, Any]:
    """The words of a bug event's thread line."""
    p = event.payload
    if event.type is EventKind.BUG_FILED:
        return {"bug_title": p.get("title") or "", "tracker": render(f"bugs.tracker.{p.get('tracker')}", lang)}
    bug = _state(p)
    return {"bug": bug_link(bug.url, bug.key), "bug_title": bug.title, "state": state_words(bug, lang),
            "fix_version": bug.fix_version or "", "closed": bug.state == "closed",
            "previous_status": p.get("previous_status") or "", "filed": p.get("filed_seq") is not None,
            "tracker": render(f"bugs.tracker.{p.get('tracker')}", lang)}


def reporter_key(event: EventView) -> str:
    """Which customer-visible sentence tells the reporter about a bug's new state."""
    bug = _state(event.payload)
    if bug.state == "closed":
        return "bug_closed_unfixed" if bug.status.lower() in NOT_FIXED else "bug_fixed"
    return "bug_fix_planned" if bug.fix_version else "bug_status_changed"


def fixed_and_open(ticket: TicketView, event: EventView) -> bool:
    """A bug of an open ticket was closed as fixed: its agent is asked to propose the resolution."""
    return (event.type is EventKind.BUG_STATUS_CHANGED and ticket.status.is_open
            and reporter_key(event) == "bug_fixed")
