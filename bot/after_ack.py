"""Work that follows an ack without delaying it: ``views.open``, ``views.publish``, a reply
through ``response_url``.

We deliberately do not use Bolt's lazy listeners for this: with
``process_before_response=True`` Bolt deep-copies the whole request for each lazy function
*before* it returns the ack (``slack_bolt/listener/thread_runner.py``), about half of our
ack's cost on this hardware. Here the ack function passes the few values the work needs
to a small thread pool; the work starts at once, as a lazy listener would, and its
failures are logged with their traceback (there is no one left to answer)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger("astreinte.after_ack")


class AfterAck:
    def __init__(self, *, workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="after-ack")

    def __call__(self, work: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        self._pool.submit(work, *args, **kwargs).add_done_callback(_log_failure)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


def _log_failure(future: Future[Any]) -> None:
    error = future.exception()
    if error is not None:
        log.error("work after an ack failed", exc_info=error)
