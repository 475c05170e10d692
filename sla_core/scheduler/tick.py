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

from sqlalchemy import bindparam, select, update

from sla_core.instants import format_instant
from sla_core.outbox.model import Audience, Notification, NotificationKind
from sla_core.outbox.store import DIGESTED, enqueue
from sla_core.persistence.models import OPEN_STATUSES, Ticket
from sla_core.persistence.outbox_models import OnCallOverride
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.scheduler.config import SchedulerConfig
from sla_core.scheduler.oncall import OnCall, Override, on_call_at
from sla_core.scheduler.plan import plan_ticket
from sla_core.tickets.lifecycle import EventKind
from sla_core.tickets.records import clocks_of, event_view, ticket_view
from sla_core.tickets.views import EventView
from sla_core.tickets.service import auto_accept_due


@dataclass(frozen=True, kw_only=True)
class TickReport:
    tickets: int  # tickets planned
    decided: int  # notices decided (new or already in the outbox)
    queued: int  # new outbox rows that will be sent on their own
    digests: int  # digest rows replacing crowded channels' notices
    auto_accepted: int
    seconds: float


def active_overrides(uow: UnitOfWork, now: datetime) -> list[Override]:
    rows = uow.session.scalars(select(OnCallOverride).where(OnCallOverride.ends_at > now))
    return [Override(user_id=r.user_id, starts_at=r.starts_at, ends_at=r.ends_at, set_by=r.set_by) for r in rows]


def who_is_on_call(uow: UnitOfWork, *, policy: Policy, config: SchedulerConfig, now: datetime) -> OnCall:
    with uow:
        overrides = active_overrides(uow, now)
    return on_call_at(config.on_call.rotation, overrides, now=now, timezone=policy.timezone)


def set_override(uow: UnitOfWork, *, user_id: str, starts_at: datetime, ends_at: datetime, set_by: str,
                 now: datetime) -> None:
    with uow:
        uow.session.add(OnCallOverride(user_id=user_id, starts_at=starts_at, ends_at=ends_at, set_by=set_by,
                                       created_at=now))
        uow.commit()


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
            query = (select(Ticket).where(Ticket.status.in_(OPEN_STATUSES), Ticket.next_due_at <= now)
                     .order_by(Ticket.next_due_at, Ticket.id).limit(batch))
            if uow.session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(uow.session.scalars(query))
            if not rows:
                break
            on_call = on_call_at(config.on_call.rotation, active_overrides(uow, now), now=now,
                                 timezone=policy.timezone)
            logs = uow.tickets.events_of([r.id for r in rows])
            notices: list[Notification] = []
            wakeups: list[dict[str, object]] = []
            for row in rows:
                events = [event_view(row.ref, e) for e in logs[row.id]]
                view = ticket_view(row, events, clocks_of(policy, opened_at=row.opened_at, events=events, now=now))
                plan = plan_ticket(policy, config, ticket=view, on_call=on_call, now=now,
                                   snoozed_until=snoozed_until(events))
                notices.extend(plan.due)
                wakeups.append({"ticket_id": row.id, "seen_version": row.version, "wakeup": plan.next_wakeup})
            # One executemany. No version bump: an event saved meanwhile set its own value
            # (due now, for re-planning) and the version guard lets it win.
            table = Ticket.__table__
            uow.session.execute(
                update(table).where(table.c.id == bindparam("ticket_id"), table.c.version == bindparam("seen_version"))
                .values(next_due_at=bindparam("wakeup")), wakeups)
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


def _channel_of(n: Notification) -> str:
    if n.audience is Audience.USER:
        return f"user:{n.payload.get('user_id')}"
    if n.audience is Audience.CHANNEL:
        return f"rung:{n.payload.get('rung')}"
    return f"severity:{n.payload.get('severity')}"


def _write(uow: UnitOfWork, notices: list[Notification], *, config: SchedulerConfig, policy: Policy,
           now: datetime) -> tuple[int, int]:
    """Enqueue; a channel with more new notices than the threshold gets one digest row
    instead (its notices are kept as ``digested`` so they are never sent again)."""
    by_channel: dict[str, list[Notification]] = defaultdict(list)
    for n in notices:
        by_channel[_channel_of(n)].append(n)
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
        first = fresh[0]
        audience = Audience.USER if channel.startswith("user:") else Audience.CHANNEL
        rung = channel.split(":", 1)[1]
        payload = {
            "channel_of": channel,
            "rung": "severity_channel" if channel.startswith("severity:") else rung,
            "severity": first.payload.get("severity"),
            "user_id": first.payload.get("user_id"),
            "items": [{"ref": n.payload.get("ref"), "kind": n.kind.value, "clock": n.payload.get("clock"),
                       "instant": n.payload.get("instant"), "late": n.payload.get("late")} for n in fresh],
        }
        ready = max((n.ready_at or n.due_at) for n in fresh)
        enqueue(uow.session, [Notification(
            key=f"digest:{channel}:{format_instant(now, timezone=policy.timezone)}:{digest_id}",
            kind=NotificationKind.DIGEST, audience=audience, due_at=now, ready_at=ready, payload=payload)],
            now=now)
        digests += 1
    return alone, digests
