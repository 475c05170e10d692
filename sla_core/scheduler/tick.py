"""One pass of the scheduler: every replica runs it every few seconds.

It reads the open tickets whose ``next_due_at`` has come (one range scan of the partial
index: the cost follows the number due, not the number open), plans each one, writes the
notices into the outbox (``ON CONFLICT DO NOTHING`` on their keys: deciding twice writes
once) and stores each ticket's next wake-up — all in one transaction per batch. On
PostgreSQL the batch is claimed with ``FOR UPDATE SKIP LOCKED``, so replicas plan disjoint
tickets; SQLite has one writer. A pass killed half-way commits nothing: the next one
decides the same notices again.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sla_core.instants import format_instant
from sla_core.oncall import active_overrides, on_call_at
from sla_core.outbox.address import Address, landing
from sla_core.outbox.codec import encode_address
from sla_core.outbox.model import Digest, DigestItem, Notification, ScheduledNotice
from sla_core.outbox.store import DIGESTED, enqueue
from sla_core.persistence.repository import NextDue
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.scheduler.config import SchedulerConfig
from sla_core.scheduler.plan import plan_ticket
from sla_core.tickets.lifecycle import EventKind
from sla_core.tickets.records import clocks_of, event_view, ticket_view
from sla_core.tickets.service import auto_accept_due
from sla_core.tickets.views import EventView


@dataclass(frozen=True, kw_only=True)
class TickReport:
    tickets: int  # tickets planned
    decided: int  # notices decided (new or already in the outbox)
    queued: int  # new outbox rows that will be sent on their own
    digests: int  # digest rows replacing crowded channels' notices
    auto_accepted: int
    seconds: float


def run_tick(new_uow: Callable[[], UnitOfWork], *, policy: Policy, config: SchedulerConfig, now: datetime,
             batch: int = 500) -> TickReport:
    """Plan every ticket due at ``now``; ``new_uow`` gives a unit of work (with the
    outbox hook, so auto-acceptances announce themselves)."""
    started = time.perf_counter()
    auto = len(auto_accept_due(new_uow(), policy=policy, now=now))
    tickets = decided = queued = digests = 0
    while True:
        uow = new_uow()
        with uow:
            rows = uow.tickets.due_before(now, limit=batch, skip_locked=True)
            if not rows:
                break
            on_call = on_call_at(config.on_call.rotation, active_overrides(uow, now), now=now,
                                 timezone=policy.timezone)
            logs = uow.tickets.events_of([r.id for r in rows])
            notices: list[Notification] = []
            wakeups: list[NextDue] = []
            for row in rows:
                events = [event_view(row.ref, e) for e in logs[row.id]]
                view = ticket_view(row, events, clocks_of(policy, opened_at=row.opened_at, events=events, now=now))
                plan = plan_ticket(policy, config, ticket=view, on_call=on_call, now=now,
                                   snoozed_until=snoozed_until(events))
                notices.extend(plan.due)
                wakeups.append(NextDue(ticket_id=row.id, seen_version=row.version, at=plan.next_wakeup))
            uow.tickets.set_next_due(wakeups)
            new_alone, new_digests = _write(uow, notices, config=config, policy=policy, now=now)
            uow.commit()
        tickets += len(rows)
        decided += len(notices)
        queued += new_alone
        digests += new_digests
        if len(rows) < batch:
            break
    return TickReport(tickets=tickets, decided=decided, queued=queued, digests=digests, auto_accepted=auto,
                      seconds=time.perf_counter() - started)


def snoozed_until(events: Sequence[EventView]) -> datetime | None:
    """The end of the latest snooze recorded in the ticket's log, if any."""
    snoozes = [e for e in events if e.type is EventKind.REMINDER_SNOOZED]
    return datetime.fromisoformat(snoozes[-1].payload["until"]) if snoozes else None


def _landing(n: Notification) -> Address:
    severity = n.payload.severity if isinstance(n.payload, ScheduledNotice) else None
    return landing(n.address, severity=severity)


def _write(uow: UnitOfWork, notices: list[Notification], *, config: SchedulerConfig, policy: Policy,
           now: datetime) -> tuple[int, int]:
    """Enqueue; a channel with more new notices than the threshold gets one digest row
    instead (its notices are kept as ``digested`` so they are never sent again)."""
    by_channel: dict[Address, list[Notification]] = defaultdict(list)
    for n in notices:
        by_channel[_landing(n)].append(n)
    alone = digests = 0
    for channel, group in by_channel.items():
        if len(group) <= config.digest_threshold:
            alone += len(enqueue(uow.session, group, now=now))
            continue
        fresh = enqueue(uow.session, group, now=now, status=DIGESTED)
        if not fresh:
            continue
        keys = sorted(n.key for n in fresh)
        digest_id = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
        items = tuple(_item(n) for n in fresh)
        ready = max((n.ready_at or n.due_at) for n in fresh)
        enqueue(uow.session, [Notification(
            key=f"digest:{encode_address(channel)}:{format_instant(now, timezone=policy.timezone)}:{digest_id}",
            payload=Digest(items=items), address=channel, due_at=now, ready_at=ready)], now=now)
        digests += 1
    return alone, digests


def _item(n: Notification) -> DigestItem:
    p = n.payload
    assert isinstance(p, ScheduledNotice)  # the planner writes nothing else
    return DigestItem(ref=p.ref, kind=n.kind, clock=getattr(p, "clock", None), instant=p.instant, late=p.late)
