"""The tracker's worker: does the outbox's tracker jobs (``TRACKER_FILE``,
``TRACKER_FETCH``), beside and independent of the Slack sender. It claims those jobs only
and the sender never claims them, so a tracker that is down or rate limited holds back
nothing owed to Slack, and loses nothing: a job stays in the outbox until done.

Never the same issue twice. The job's outbox key is written into the issue it creates
(``astreinte-key: <key>``). A job that may have reached the tracker before (an attempt
that timed out, a 5xx, a lease taken over from a dead worker) first looks for an issue
carrying its key, and creates one only when there is none; after a request that got no
answer it waits ``in_flight_settle`` first, as the tracker may still be creating it. The
issue found or created is recorded on the ticket in the same transaction as the job's
completion (``sla_core.bugs.service.issue_filed``), which is itself idempotent.

Rate limits: a 429 (or GitHub's 403 with no requests left) puts the job back for what the
tracker said (``Retry-After``, ``X-RateLimit-Reset``) and pauses every job of this worker
until then, without counting an attempt against the others."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from bot.context import BotContext
from bot.trackers.body import IssueDraft
from bot.trackers.http import TrackerFailure
from sla_core.bugs.service import BugReport, issue_filed, tracker_reports
from sla_core.outbox import store
from sla_core.outbox.model import OutboxEntry, TrackerFetch, TrackerFile
from sla_core.tickets.actions import EventKind
from sla_core.tickets.queries import get_ticket

log = logging.getLogger("astreinte.trackers")


class TrackerClient(Protocol):
    kind: str

    def create(self, draft: IssueDraft) -> BugReport: ...
    def get(self, key: str) -> BugReport: ...
    def find_marked(self, marker: str, *, since: datetime) -> BugReport | None: ...
    def close(self) -> None: ...


class TrackerWorker:
    def __init__(self, ctx: BotContext, tracker: TrackerClient, worker_id: str = "trackers", *, batch: int = 10,
                 lease: timedelta = timedelta(minutes=2), backoff: timedelta = timedelta(seconds=10),
                 max_backoff: timedelta = timedelta(minutes=30), permanent_attempts: int = 5,
                 lookback: timedelta = timedelta(hours=1), in_flight_settle: timedelta = timedelta(seconds=30)) -> None:
        self.ctx, self.tracker = ctx, tracker
        self.worker_id = f"{worker_id[:60]}#{secrets.token_hex(4)}"
        # The lease outlasts a batch: at most a few calls of at most 10 s each per job.
        self.batch, self.lease = batch, lease
        self.backoff, self.max_backoff, self.permanent_attempts = backoff, max_backoff, permanent_attempts
        self.lookback, self.in_flight_settle = lookback, in_flight_settle
        self._paused_until = 0.0  # monotonic: the tracker asked us to wait

    # ----- loop ---------------------------------------------------------------------------------
    def run_forever(self, stop_event: threading.Event, *, idle: float = 5.0) -> None:
        try:
            while not stop_event.is_set():
                try:
                    done = self.run_once()
                except Exception:  # the database may be away for a moment
                    log.exception("tracker pass failed", extra={"worker": self.worker_id})
                    done = 0
                wait = max(self._paused_until - time.monotonic(), 0.0)
                if done < self.batch or wait:
                    stop_event.wait(max(idle, wait) if done < self.batch else wait)
        finally:
            self.tracker.close()

    def run_once(self) -> int:
        """One pass: the jobs ready now; returns how many were claimed."""
        if time.monotonic() < self._paused_until:
            return 0
        with self.ctx.uow() as uow:
            entries = store.claim(uow.session, worker=self.worker_id, now=self.ctx.now(), lease=self.lease,
                                  limit=self.batch, tracker_jobs=True)
            uow.commit()
        for index, entry in enumerate(entries):
            if time.monotonic() < self._paused_until:  # rate limited meanwhile: the rest waits, unattempted
                self._postpone(entries[index:])
                break
            self._do(entry)
        return len(entries)

    # ----- one job --------------------------------------------------------------------------------
    def _do(self, entry: OutboxEntry) -> None:
        fields = {"key": entry.key, "kind": entry.kind.value, "attempt": entry.attempts, "worker": self.worker_id}
        try:
            if isinstance(entry.payload, TrackerFile):
                self._file(entry, entry.payload)
            elif isinstance(entry.payload, TrackerFetch):
                self._fetch(entry, entry.payload)
        except TrackerFailure as failure:
            self._failed(entry, failure, fields)
        except Exception as exc:  # our bug: keep the traceback and the job (retried, then failed)
            log.exception("tracker job %s failed", entry.key, extra=fields)
            self._failed(entry, TrackerFailure("permanent", f"{type(exc).__name__}: {exc}"), fields)

    def _file(self, entry: OutboxEntry, job: TrackerFile) -> None:
        ticket = get_ticket(self.ctx.uow(), policy=self.ctx.policy, ticket_ref=job.ref, now=self.ctx.now())
        event = next(e for e in ticket.events if e.seq == job.seq and e.type is EventKind.BUG_FILED)
        draft = IssueDraft.from_event(ticket_ref=ticket.ref, payload=event.payload, marker=entry.key)
        found = None
        if entry.outcome_unknown or entry.attempts > 1:  # an earlier attempt may have created it
            found = self.tracker.find_marked(entry.key, since=entry.created_at - self.lookback)
            if found is not None:
                log.info("%s: the issue %s was already created; not created again", entry.key, found.key,
                         extra={"key": entry.key, "bug": found.key})
        report = found or self.tracker.create(draft)
        issue_filed(self.ctx.uow(), policy=self.ctx.policy, support=self.ctx.support, ticket_ref=ticket.ref,
                    filed_seq=job.seq, report=report, now=self.ctx.now(), also=self._done(entry))
        log.info("%s filed as %s", entry.key, report.key, extra={"key": entry.key, "bug": report.key})
        self.ctx.wake_sender()

    def _fetch(self, entry: OutboxEntry, job: TrackerFetch) -> None:
        report = self.tracker.get(job.key)
        heard = tracker_reports(self.ctx.uow(), policy=self.ctx.policy, support=self.ctx.support, report=report,
                                now=self.ctx.now(), also=self._done(entry))
        if not heard.known:
            log.info("%s: %s is linked to no ticket any more; ignored", entry.key, job.key)
        if heard.changed:
            self.ctx.wake_sender()

    def _done(self, entry: OutboxEntry) -> Callable[[Session], object]:
        def mark(session: Session) -> object:
            return store.mark_sent(session, entry_id=entry.id, worker=self.worker_id, now=self.ctx.now(),
                                   channel=None, ts=None)
        return mark

    # ----- failures ---------------------------------------------------------------------------------
    def _failed(self, entry: OutboxEntry, failure: TrackerFailure, fields: dict[str, object]) -> None:
        now = self.ctx.now()
        fields = {**fields, "error": failure.error, "failure": failure.kind}
        if failure.kind == "rate_limited":
            self._paused_until = time.monotonic() + failure.retry_after
            log.warning("%s: the tracker is rate limiting; retry in %.0f s", entry.key, failure.retry_after,
                        extra=fields)
            self._book(store.postpone, entry_id=entry.id, ready_at=now + timedelta(seconds=failure.retry_after))
            return
        give_up = failure.kind in ("permanent", "not_found") and entry.attempts >= self.permanent_attempts
        retry_at = now + max(min(self.backoff * 2 ** max(entry.attempts - 1, 0), self.max_backoff),
                             timedelta(seconds=failure.retry_after))
        if failure.in_flight:  # the tracker may still act on it: look for the marker only after this
            retry_at = max(retry_at, now + self.in_flight_settle)
        self._book(store.release, entry_id=entry.id, error=failure.error, retry_at=retry_at, give_up=give_up)
        if give_up:
            log.error("gave up on %s after %d attempts: %s", entry.key, entry.attempts, failure.error, extra=fields)
        else:
            log.warning("%s failed (%s): retry at %s", entry.key, failure.error, retry_at.isoformat(), extra=fields)

    def _postpone(self, entries: list[OutboxEntry]) -> None:
        ready = self.ctx.now() + timedelta(seconds=max(self._paused_until - time.monotonic(), 1.0))
        for entry in entries:
            self._book(store.postpone, entry_id=entry.id, ready_at=ready)

    def _book(self, fn: Callable[..., object], **kwargs: object) -> None:
        with self.ctx.uow() as uow:
            fn(uow.session, worker=self.worker_id, **kwargs)
            uow.commit()
