"""Which messages a ticket's new events owe, and to whom. Decided here, in the domain, so
that the decision is written in the same transaction as the events (see ``install``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sla_core.outbox.model import Audience, Notification, NotificationKind
from sla_core.outbox.store import enqueue
from sla_core.persistence.uow import UnitOfWork
# Events the reporter is told about in their DM (internal notes never): declared with each action.
from sla_core.tickets.actions import CUSTOMER_VISIBLE, EventKind
from sla_core.tickets.views import EventView

def notices_for(ticket_id: int, event: EventView) -> list[Notification]:
    """The notifications one logged event owes."""
    base = f"t{ticket_id}:e{event.seq}"
    payload = {"ref": event.ticket_ref, "seq": event.seq, "event": event.type.value}

    def notice(kind: NotificationKind, audience: Audience, suffix: str, **extra: object) -> Notification:
        return Notification(key=f"{base}:{suffix}", kind=kind, audience=audience, due_at=event.at,
                            ticket_id=ticket_id, payload={**payload, **extra})

    if event.type is EventKind.OPENED:
        return [notice(NotificationKind.TICKET_OPENED, Audience.SEVERITY_CHANNEL, "root"),
                notice(NotificationKind.REPORTER_RECEIPT, Audience.REPORTER, "receipt")]
    out = [notice(NotificationKind.TICKET_EVENT, Audience.THREAD, "thread"),
           notice(NotificationKind.ROOT_REFRESH, Audience.ROOT, "root")]
    if event.type in CUSTOMER_VISIBLE:
        out.append(notice(NotificationKind.REPORTER_EVENT, Audience.REPORTER, "reporter"))
    if event.type is EventKind.SEVERITY_CHANGED:
        out.append(notice(NotificationKind.SEVERITY_MOVED, Audience.SEVERITY_CHANNEL, "moved",
                          severity=str(event.payload.get("to") or event.payload.get("severity") or "")))
    return out


def write_notices(uow: UnitOfWork, events: Sequence[EventView], *, now: datetime | None = None) -> int:
    """The before-commit hook: enqueue what ``events`` owe, in the unit of work's own
    transaction, so a ticket change and its messages are committed together or not at all."""
    notifications: list[Notification] = []
    ids: dict[str, int] = {}
    for event in events:
        if event.ticket_ref not in ids:
            row = uow.tickets.get_by_ref(event.ticket_ref)
            if row is None:  # pragma: no cover - the event was just written for this ticket
                continue
            ids[event.ticket_ref] = row.id
        notifications.extend(notices_for(ids[event.ticket_ref], event))
    if not notifications:
        return 0
    return len(enqueue(uow.session, notifications, now=now or max(e.at for e in events)))


def install(uows: Iterable[UnitOfWork]) -> None:
    for uow in uows:
        if write_notices not in uow.before_commit:
            uow.before_commit.append(write_notices)
