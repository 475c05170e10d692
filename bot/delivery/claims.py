"""The outbox rows a sender holds while it delivers a batch, kept alive by a heartbeat.

A claim is a short lease (30 s in production) on outbox rows. While a pass works through
its batch (paced posts, slow answers, lookups), a thread renews every row still held, every
``renew_every`` (10 s), so a claim outlives any single Slack call, however slow. When the
process dies the renewals stop with it, and the rows are taken over at most ``lease`` after
the last renewal: within ``lease`` of the death, plus one poll of a live sender.

Just before each Slack call that changes something (a post, an edit) the sender renews that
one row in its own transaction (``confirm``). If another worker holds it by then (our
renewals stopped long enough for the lease to run out: a stalled process, a database
unreachable from here only), the call is not made: the new holder looks the key up in
Slack before it posts, so the message still goes out once.

A row held longer than ``max_hold`` is no longer renewed: a pass stuck for minutes is not
work under way, and its rows are taken over as a dead process's would be.

Written here rather than with a library: the lease lives in the outbox row itself (one
``UPDATE … WHERE claimed_by = me``), and a thread with an ``Event`` is all the timer needed."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from datetime import timedelta
from types import TracebackType

from bot.context import BotContext
from sla_core.outbox import store

log = logging.getLogger("bot.delivery")


class ClaimLost(Exception):
    """The row is no longer this worker's: another one took it over. Do not send it."""


class HeldClaims:
    """The claims of one pass. Use as a context manager around the deliveries: the
    heartbeat runs while the block does, and stops (joined) when it ends."""

    def __init__(self, ctx: BotContext, *, worker: str, lease: timedelta, renew_every: timedelta,
                 max_hold: timedelta) -> None:
        if renew_every >= lease:
            raise ValueError(f"claims must be renewed more often than their lease runs out "
                             f"(renew every {renew_every}, lease {lease})")
        self.ctx, self.worker = ctx, worker
        self.lease, self.renew_every, self.max_hold = lease, renew_every, max_hold
        self._lock = threading.Lock()
        self._held: dict[int, float] = {}  # row id → monotonic time it was claimed
        self._lost: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ----- what the sender calls ---------------------------------------------------------------
    def hold(self, ids: Iterable[int]) -> None:
        """Rows just claimed: keep them alive from now on."""
        now = time.monotonic()
        with self._lock:
            self._held.update(dict.fromkeys(ids, now))

    def release(self, entry_id: int) -> None:
        """Done with the row (recorded as sent, released or postponed): stop renewing it."""
        with self._lock:
            self._held.pop(entry_id, None)
            self._lost.discard(entry_id)

    def confirm(self, entry_id: int) -> None:
        """Renew this row now, before a Slack call; ``ClaimLost`` when another worker holds it."""
        with self._lock:
            lost = entry_id in self._lost
        if lost or entry_id not in self._renew([entry_id]):
            self._mark_lost([entry_id])
            raise ClaimLost(f"outbox row {entry_id} is held by another worker")

    # ----- the heartbeat -----------------------------------------------------------------------
    def __enter__(self) -> HeldClaims:
        with self._lock:
            idle = not self._held
        if not idle:
            self._thread = threading.Thread(target=self._beat, name="outbox-claims", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.renew_every.total_seconds()):
            now = time.monotonic()
            with self._lock:
                due = [i for i, since in self._held.items()
                       if i not in self._lost and now - since < self.max_hold.total_seconds()]
            if not due:
                continue
            try:
                kept = self._renew(due)
            except Exception:  # the database may be away for a moment: the next beat retries
                log.warning("could not renew %d outbox claims", len(due), exc_info=True,
                            extra={"worker": self.worker})
                continue
            # A row missing from ``kept`` was taken over (the sender says so when it skips
            # it) or has just been recorded as done (then ``release`` follows at once).
            self._mark_lost(set(due) - kept)

    def _renew(self, ids: list[int]) -> set[int]:
        with self.ctx.uow() as uow:
            kept = store.renew(uow.session, ids=ids, worker=self.worker, now=self.ctx.now(), lease=self.lease)
            uow.commit()
        return kept

    def _mark_lost(self, ids: Iterable[int]) -> None:
        with self._lock:
            self._lost.update(i for i in ids if i in self._held)
