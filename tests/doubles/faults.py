"""Fault injection for the fake Slack Web API.

Kept apart from the HTTP server so the rules ("which call fails, how, how often") can be
read in one place. Each fault models a failure our senders must survive in production:
rate limiting (429 + Retry-After), server errors, API errors, slow answers that make the
client time out, and the worst one: Slack did the work but the answer never arrived.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["http_status", "api_error", "delay", "drop_after_commit"]


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One planned misbehaviour of the fake for one call.

    `performs_call` says whether Slack's side effect (storing the message, opening the
    view) still happens: true for slow answers and dropped connections, which is exactly
    what makes their outcome unknown to the client.
    """

    kind: FaultKind
    status: int = 200
    retry_after: int = 0
    error: str = ""
    delay: float = 0.0

    @property
    def performs_call(self) -> bool:
        return self.kind in ("delay", "drop_after_commit")


class FaultPlan:
    """Queued faults per Web API method, plus per-channel rate limits. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: dict[str, deque[Fault]] = defaultdict(deque)
        self._min_interval: dict[str, float] = {}
        self._last_accepted: dict[tuple[str, str], float] = {}

    def queue(self, method: str, fault: Fault, *, count: int) -> None:
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        with self._lock:
            self._queued[method].extend([fault] * count)

    def set_rate_limit(self, method: str, *, per_channel_per_second: float) -> None:
        if per_channel_per_second <= 0:
            raise ValueError("per_channel_per_second must be positive")
        with self._lock:
            self._min_interval[method] = 1.0 / per_channel_per_second

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
            self._min_interval.clear()
            self._last_accepted.clear()

    def next_fault(self, method: str, *, channel: str | None, now: float) -> Fault | None:
        """The fault to apply to this call, if any; consumes queued faults one by one.

        Queued faults win over the rate limit, so a test that asks for a failure gets it.
        A rate-limited call is not counted as accepted, like Slack's sliding window.
        """
        with self._lock:
            queued = self._queued.get(method)
            if queued:
                return queued.popleft()
            interval = self._min_interval.get(method)
            if interval is None or channel is None:
                return None
            last = self._last_accepted.get((method, channel))
            if last is not None and now - last < interval:
                wait = interval - (now - last)
                return Fault(kind="http_status", status=429, retry_after=max(1, math.ceil(wait)))
            self._last_accepted[(method, channel)] = now
            return None


def build_fault(
    *,
    status: int,
    retry_after: int,
    error: str | None,
    delay: float | None,
    drop_after_commit: bool,
) -> Fault:
    """Turn `FakeSlack.fail_next` keywords into one Fault; the most specific wins."""
    if drop_after_commit:
        return Fault(kind="drop_after_commit")
    if delay is not None:
        return Fault(kind="delay", delay=delay)
    if error is not None:
        return Fault(kind="api_error", error=error)
    if status < 400:
        raise ValueError(f"status {status} is not a failure; use error=... for ok:false answers")
    return Fault(kind="http_status", status=status, retry_after=retry_after if status == 429 else 0)
