"""Which messages a ticket's new events owe, and to whom. Decided here, in the domain, so
that the decision is written in the same transaction as the events: ``write_notices`` is
the unit of work's before-commit hook (``BotContext.uow``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sla_core.authorization import MAIL_ACTOR
from sla_core.outbox.address import (
    Address, ClickedMessage, DirectMessage, ReporterCardDM, RootPost, SeverityChannel, SharedThread, TicketThread,
    Tracker,
)
from sla_core.outbox.model import (
    ClickedUpdate, EventNotice, Notification, ReporterCard, ReporterEvent, ReporterReceipt, RootRefresh,
    SeverityMoved, ThreadEvent, TicketOpened, TrackerFetch, TrackerFile,
)
from sla_core.email.outgoing import ReporterMailRule, mail_notice
from sla_core.outbox.store import enqueue
from sla_core.persistence.models import Ticket
from sla_core.persistence.uow import UnitOfWork
from sla_core.severity import Severity
# Events the reporter is told about in their DM (internal notes never): declared with each action.
from sla_core.tickets.actions import CUSTOMER_VISIBLE, DECLARED, EventKind
from sla_core.tickets.views import EventView

# Events that change what the reporter's card shows: those they are told about, and those
# that move a clock or the status (their own accept, reject or "I've replied" included).
# Internal notes and snoozes change nothing the reporter sees.
CARD_EVENTS = CUSTOMER_VISIBLE | frozenset(spec.event for spec in DECLARED.values() if spec.clock is not None) | {
    EventKind.RCA_REQUESTED}  # the card's "Request a root-cause analysis" goes once it is asked


def notices_for(ticket_id: int, event: EventView, *, shared: bool = False,
                reporter_in_slack: bool = True) -> list[Notification]:
    """The notifications one logged event owes. ``shared``: the ticket was opened from a
    message in its account's shared channel, whose thread under that message also gets
    what the reporter is told (the receipt and CUSTOMER_VISIBLE), and nothing else. A
    reporter known by their e-mail address only (a ticket opened by e-mail,
    ``sla_core.email``) has no Slack DMs to be sent."""
    base = f"t{ticket_id}:e{event.seq}"

    def notice(kind: type[EventNotice], address: Address, suffix: str) -> Notification:
        payload = kind(ref=event.ticket_ref, seq=event.seq, event=event.type.value)
        return Notification(key=f"{base}:{suffix}", payload=payload, address=address,  # type: ignore[arg-type]
                            due_at=event.at, ticket_id=ticket_id)

    if event.type is EventKind.OPENED:
        opened = [notice(TicketOpened, SeverityChannel(), "root")]
        if reporter_in_slack:
            opened.append(notice(ReporterReceipt, DirectMessage(), "receipt"))
        return opened + ([notice(ReporterReceipt, SharedThread(), "shared")] if shared else [])
    out = [notice(ThreadEvent, TicketThread(), "thread"), notice(RootRefresh, RootPost(), "root")]
    if event.type in CUSTOMER_VISIBLE:
        if reporter_in_slack:
            out.append(notice(ReporterEvent, DirectMessage(), "reporter"))
        if shared:
            out.append(notice(ReporterEvent, SharedThread(), "shared"))
            if event.type is EventKind.RESOLUTION_PROPOSED:  # the one the customer answers by button:
                out.append(notice(ReporterCard, SharedThread(), "shared_card"))  # the card, accept/reject on it
    if event.type in CARD_EVENTS and reporter_in_slack:
        out.append(notice(ReporterCard, ReporterCardDM(), "card"))
    if event.type is EventKind.SEVERITY_CHANGED:
        severity = Severity(str(event.payload.get("to") or event.payload.get("severity")))
        moved = SeverityMoved(ref=event.ticket_ref, seq=event.seq, event=event.type.value, severity=severity)
        out.append(Notification(key=f"{base}:moved", payload=moved, address=SeverityChannel(severity=severity),
                                due_at=event.at, ticket_id=ticket_id))
    # The tracker's jobs: file the drafted issue (its key is the idempotency
    # marker), or read the linked one's state.
    if event.type is EventKind.BUG_FILED:
        out.append(notice(TrackerFile, Tracker(), "tracker"))
    if event.type is EventKind.BUG_LINKED:
        fetch = TrackerFetch(tracker=str(event.payload["tracker"]), key=str(event.payload["key"]), ref=event.ticket_ref)
        out.append(Notification(key=f"{base}:tracker", payload=fetch, address=Tracker(), due_at=event.at,
                                ticket_id=ticket_id))
    return out


def write_notices(uow: UnitOfWork, events: Sequence[EventView], *, now: datetime | None = None,
                  mail: ReporterMailRule | None = None) -> int:
    """The before-commit hook: enqueue what ``events`` owe, in the unit of work's own
    transaction, so a ticket change and its messages are committed together or not at all.
    ``mail``: who also gets the reporter's messages by e-mail (``email.reporters``)."""
    notifications: list[Notification] = []
    rows: dict[str, Ticket] = {}
    for event in events:
        if event.ticket_ref not in rows:
            row = uow.tickets.get_by_ref(event.ticket_ref)
            if row is None:  # pragma: no cover - the event was just written for this ticket
                continue
            rows[event.ticket_ref] = row
        row = rows[event.ticket_ref]
        notifications.extend(notices_for(row.id, event, shared=bool(row.source_shared),
                                         reporter_in_slack=not row.reporter_id.startswith(MAIL_ACTOR)))
        if mail is not None and mail.wants(contact_channel=row.contact_channel, severity=Severity(row.severity)):
            mailed = mail_notice(row.id, event)
            if mailed is not None:
                notifications.append(mailed)
    if not notifications:
        return 0
    return len(enqueue(uow.session, notifications, now=now or max(e.at for e in events)))


def clicked_notices(ticket_id: int, events: Sequence[EventView], *, channel: str, ts: str,
                    said: str = "") -> list[Notification]:
    """The edit owed to the message whose button caused ``events``: it then says what was
    done (rendered from the last of them) and shows no buttons. One per event: a retried
    click that logs nothing new owes nothing."""
    return [Notification(key=f"t{ticket_id}:e{event.seq}:clicked",
                         payload=ClickedUpdate(ref=event.ticket_ref, seq=event.seq, event=event.type.value, said=said),
                         address=ClickedMessage(channel=channel, ts=ts), due_at=event.at, ticket_id=ticket_id)
            for event in events[-1:]]


def edit_clicked_message(channel: str, ts: str, said: str = "") -> Callable[[UnitOfWork, Sequence[EventView]], int]:
    """A before-commit hook (added to one click's unit of work) enqueueing the edit of the
    clicked message in the same transaction as the event the click logged."""
    def hook(uow: UnitOfWork, events: Sequence[EventView]) -> int:
        if not events:
            return 0
        row = uow.tickets.get_by_ref(events[-1].ticket_ref)
        if row is None:  # pragma: no cover - the event was just written for this ticket
            return 0
        return len(enqueue(uow.session, clicked_notices(row.id, events, channel=channel, ts=ts, said=said),
                           now=max(e.at for e in events)))

    return hook
