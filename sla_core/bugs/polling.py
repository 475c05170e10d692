"""Polling, for deployers whose tracker cannot reach them with a webhook: every
``bug_tracker.poll_every``, the tick owes one ``TRACKER_FETCH`` job per linked bug not
known closed and not heard of for that long. The job's key names the bug and the period
(``poll:<tracker>:<key>:<period number>``), so replicas ticking together write one job,
and a bug is read at most once a period; the tracker's worker does the reading."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sla_core.bugs.service import bugs_to_poll
from sla_core.config.bug_tracker import BugTrackerConfig
from sla_core.outbox.address import Tracker
from sla_core.outbox.model import Notification, TrackerFetch
from sla_core.outbox.store import enqueue
from sla_core.persistence.uow import UnitOfWork

BATCH = 200  # bugs per tick: the rest wait for the next ticks, least recently heard of first


def plan_polls(uow_factory: Callable[[], UnitOfWork], *, tracker: BugTrackerConfig, now: datetime) -> int:
    """The polling jobs due at ``now``; returns how many were new."""
    if not tracker.enabled or tracker.poll_every is None:
        return 0
    period = int(now.timestamp() // tracker.poll_every.total_seconds())
    with uow_factory() as uow:
        keys = bugs_to_poll(uow.session, tracker=tracker.kind, now=now, every=tracker.poll_every, limit=BATCH)
        jobs = [Notification(key=f"poll:{tracker.kind}:{key}:{period}", payload=TrackerFetch(tracker=tracker.kind,
                                                                                          key=key),
                             address=Tracker(), due_at=now) for key in keys]
        new = enqueue(uow.session, jobs, now=now)
        uow.commit()
    return len(new)
