"""Work that follows an ack without delaying it: ``views.open``, ``views.publish``, a reply
through ``response_url``.

We deliberately do not use Bolt's lazy listeners for this: with
``process_before_response=True`` Bolt deep-copies the whole request for each lazy function
*before* it returns the ack (``slack_bolt/listener/thread_runner.py``), about half of our
ack's cost on this hardware. Here the ack function passes the few values the work needs
to a small thread pool; the work starts at once, as a lazy listener would, and its
failures are logged with their traceback (there is no one left to answer).

Opening a modal needs the click's ``trigger_id``, which Slack honours for 3 seconds. Work
queued behind a backlog past that point would only earn ``expired_trigger_id``: it is
skipped, logged and counted (``astreinte_modals_not_opened``) instead, and the CPU goes
to the modals that can still open."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger("astreinte.after_ack")

# Slack's trigger_id lives 3 s from the click; keep some for the call to reach Slack.
TRIGGER_BUDGET_SECONDS = 2.5


class AfterAck:
    def __init__(self, *, workers: int = 4, trigger_budget: float = TRIGGER_BUDGET_SECONDS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="after-ack")
        self._trigger_budget = trigger_budget
        self._lock = threading.Lock()
        self.modals_not_opened = 0

    def __call__(self, work: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        self._pool.submit(work, *args, **kwargs).add_done_callback(_log_failure)

    def with_trigger(self, work: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        """Like calling the pool, for work that opens a modal with the click's trigger_id:
        skipped if it could not start within the trigger's lifetime."""
        queued = time.monotonic()

        def unless_expired() -> None:
            waited = time.monotonic() - queued
            if waited > self._trigger_budget:
                with self._lock:
                    self.modals_not_opened += 1
                log.warning("modal not opened: its trigger expired after %.1f s queued behind other work (%s)",
                            waited, getattr(work, "__qualname__", work))
                return
            work(*args, **kwargs)

        self(unless_expired)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


def _log_failure(future: Future[Any]) -> None:
    error = future.exception()
    if error is not None:
        log.error("work after an ack failed", exc_info=error)
