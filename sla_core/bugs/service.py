"""What filing, linking and the tracker's news do to tickets.

- ``file_rule`` and ``link_rule`` are the rules of the agents' ``file_bug`` and
  ``link_bug`` actions (``sla_core.tickets.service.RULES``): a filing is scrubbed again and
  names its tracker; a link names an issue of the configured tracker, once per ticket, and
  is stored (``bug_links``) in the action's transaction.
- ``issue_filed``: the tracker created the issue a filing asked for (the outbox job's
  success): the ticket records it (``bug_recorded``), in the same transaction as the
  job's own bookkeeping (``also``), once however often it is told.
- ``tracker_reports``: the tracker says what an issue is now (webhook, poll, or the first
  fetch of a linked issue). Unknown issue: nothing changes (the caller logs it). First
  news of a linked issue: each linked ticket records it quietly; a change of state, status
  or fix version: each linked ticket logs ``bug_status_changed`` (its thread is told, its
  reporter told what a customer may see)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from sla_core.authorization import SYSTEM_ACTOR, authorize
from sla_core.bugs.draft import scrub_fields
from sla_core.bugs.models import CLOSED, OPEN, UNKNOWN, Bug, BugLink
from sla_core.bugs.reference import BugRef, parse_reference
from sla_core.config.bug_tracker import BugTrackerConfig
from sla_core.persistence.models import Ticket
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets.actions import TRANSITIONS, Action, EventKind
from sla_core.tickets.errors import TicketError
from sla_core.tickets.roles import ticket_actor
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.transaction import Conflict, TicketChange
from sla_core.tickets.views import TicketView

if TYPE_CHECKING:
    from sla_core.tickets.service import Setting

ATTEMPTS = 5
Also = Callable[[Session], object]  # more work for the same transaction (the outbox row's bookkeeping)


@dataclass(frozen=True, kw_only=True)
class BugReport:
    """What the tracker says an issue is now; never its comments."""

    tracker: str
    key: str
    url: str
    title: str
    state: str  # open | closed
    status: str  # the tracker's word: "open", "completed", "not_planned", "In Progress", "Done"…
    fix_version: str | None = None  # GitHub milestone, Jira fixVersion: where a fix is planned

    def facts(self) -> dict[str, Any]:
        return {"tracker": self.tracker, "key": self.key, "url": self.url, "title": self.title,
                "state": self.state, "status": self.status, "fix_version": self.fix_version}


def _tracker(setting: Setting) -> BugTrackerConfig:
    tracker = setting.bug_tracker
    if tracker is None or not tracker.enabled:
        raise TicketError("no bug tracker is configured (app.yaml: bug_tracker.kind)", code="bug_tracker_off")
    return tracker


# ---- the agents' actions' rules ------------------------------------------------------------
def file_rule(change: TicketChange, payload: dict[str, Any], setting: Setting) -> Mapping[str, Any]:
    tracker = _tracker(setting)
    return {**scrub_fields(payload, known=(change.row.contact_phone,)), "tracker": tracker.kind}


def link_rule(change: TicketChange, payload: dict[str, Any], setting: Setting) -> Mapping[str, Any]:
    ref = parse_reference(_tracker(setting), payload["bug"])
    session = change.uow.session
    bug = _bug(session, ref.tracker, ref.key) or _new_bug(session, ref, setting.now)
    if _linked(session, change.row.id, bug.id):
        raise TicketError(f"{change.row.ref} is already linked to {ref.key}", code="bug_already_linked",
                          field="bug", ref=change.row.ref, bug=ref.key)
    session.add(BugLink(ticket_id=change.row.id, bug_id=bug.id, linked_at=setting.now, linked_by=setting.actor_id,
                        filed=False))
    known = {} if bug.state == UNKNOWN else {"url": bug.url, "title": bug.title, "state": bug.state,
                                             "status": bug.status, "fix_version": bug.fix_version}
    # A bug already heard of (another ticket links it) is shown as it is at once.
    return {"tracker": ref.tracker, "key": ref.key, "url": ref.url, **known}


# ---- the tracker's answers -------------------------------------------------------------------
def issue_filed(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, ticket_ref: str, filed_seq: int,
                report: BugReport, now: datetime, also: Also | None = None) -> TicketView | None:
    """Record the issue the filing ``filed_seq`` of ``ticket_ref`` created; None when it
    was recorded already (a retried job after an unknown outcome)."""
    for _ in range(ATTEMPTS):
        try:
            with uow:
                change = TicketChange(uow, policy=policy, ref=ticket_ref, now=now)
                if any(e.type is EventKind.BUG_RECORDED and e.payload.get("filed_seq") == filed_seq
                       for e in change.events):
                    if also:
                        also(uow.session)
                    uow.commit()
                    return None
                bug = _heard(uow.session, report, now)
                if not _linked(uow.session, change.row.id, bug.id):
                    uow.session.add(BugLink(ticket_id=change.row.id, bug_id=bug.id, linked_at=now,
                                            linked_by=SYSTEM_ACTOR, filed=True))
                view = _system(change, support, Action.RECORD_BUG, {**report.facts(), "filed_seq": filed_seq})
                if also:
                    also(uow.session)
                uow.commit()
                return view
        except Conflict:
            continue
    raise TicketError(f"{ticket_ref} kept changing while its bug was recorded", code="concurrent_change")


@dataclass(frozen=True, kw_only=True)
class Heard:
    known: bool  # the issue is linked to some ticket
    changed: tuple[str, ...] = ()  # the tickets whose log now says something new


def tracker_reports(uow: UnitOfWork, *, policy: Policy, support: SupportConfig, report: BugReport, now: datetime,
                    also: Also | None = None) -> Heard:
    for _ in range(ATTEMPTS):
        try:
            with uow:
                bug = _bug(uow.session, report.tracker, report.key)
                if bug is None or not _has_links(uow.session, bug.id):
                    if also:
                        also(uow.session)
                    uow.commit()
                    return Heard(known=False)
                first = bug.state == UNKNOWN
                changed = (bug.state, bug.status, bug.fix_version) != (report.state, report.status,
                                                                        report.fix_version)
                refs: list[str] = []
                if changed:
                    action = Action.RECORD_BUG if first else Action.UPDATE_BUG
                    facts = {**report.facts(), **({"previous_status": bug.status,
                                                   "previous_state": bug.state} if not first else {})}
                    for ref in _linked_refs(uow.session, bug.id):
                        if _system(TicketChange(uow, policy=policy, ref=ref, now=now), support, action, facts):
                            refs.append(ref)
                _heard(uow.session, report, now)
                if also:
                    also(uow.session)
                uow.commit()
                return Heard(known=True, changed=tuple(refs))
        except Conflict:
            continue
    raise TicketError(f"{report.key}: its tickets kept changing while its news was recorded",
                      code="concurrent_change")


def bugs_to_poll(session: Session, *, tracker: str, now: datetime, every: timedelta, limit: int = 100) -> list[str]:
    """The linked bugs not known closed and not heard of for ``every``: their keys, the
    least recently heard first."""
    stale = (Bug.checked_at.is_(None)) | (Bug.checked_at <= now - every)
    query = (select(Bug.key).where(Bug.tracker == tracker, Bug.state != CLOSED, stale,
                                   exists().where(BugLink.bug_id == Bug.id))
             .order_by(Bug.checked_at.is_not(None), Bug.checked_at, Bug.id).limit(limit))
    return list(session.scalars(query))


def linked_tickets(session: Session, *, tracker: str, key: str) -> list[str]:
    bug = _bug(session, tracker, key)
    return _linked_refs(session, bug.id) if bug is not None else []


# ---- helpers -----------------------------------------------------------------------------------
def _system(change: TicketChange, support: SupportConfig, action: Action,
            payload: Mapping[str, Any]) -> TicketView | None:
    """``action`` recorded on the ticket; None for a closed ticket (final: nothing is written to it)."""
    role = authorize(ticket_actor(SYSTEM_ACTOR, change.row, support=support), action)
    if (change.status, action) not in TRANSITIONS:
        return None
    change.append(action, actor_id=SYSTEM_ACTOR, role=role.value, payload=payload)
    return change.save()


def _bug(session: Session, tracker: str, key: str) -> Bug | None:
    return session.scalars(select(Bug).where(Bug.tracker == tracker, Bug.key == key)).one_or_none()


def _new_bug(session: Session, ref: BugRef, now: datetime) -> Bug:
    bug = Bug(tracker=ref.tracker, key=ref.key, url=ref.url, title="", state=UNKNOWN, status="", fix_version=None,
              created_at=now, checked_at=None)
    session.add(bug)
    session.flush()
    return bug


def _heard(session: Session, report: BugReport, now: datetime) -> Bug:
    bug = _bug(session, report.tracker, report.key)
    if bug is None:
        bug = _new_bug(session, BugRef(tracker=report.tracker, key=report.key, url=report.url), now)
    bug.url, bug.title = report.url, report.title[:300]
    bug.state = report.state if report.state in (OPEN, CLOSED) else UNKNOWN
    bug.status, bug.fix_version, bug.checked_at = report.status[:80], (report.fix_version or None), now
    session.flush()
    return bug


def _linked(session: Session, ticket_id: int, bug_id: int) -> bool:
    return session.get(BugLink, (ticket_id, bug_id)) is not None


def _has_links(session: Session, bug_id: int) -> bool:
    return bool(session.scalar(select(exists().where(BugLink.bug_id == bug_id))))


def _linked_refs(session: Session, bug_id: int) -> list[str]:
    return list(session.scalars(select(Ticket.ref).join(BugLink, BugLink.ticket_id == Ticket.id)
                                .where(BugLink.bug_id == bug_id).order_by(Ticket.id)))
