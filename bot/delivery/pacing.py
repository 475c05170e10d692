"""Per-channel pacing: Slack accepts about one chat.postMessage a second per channel
(short bursts aside) and answers 429 beyond. The sender keeps the last post time of each
channel, and a hold after a 429, in *real* elapsed time (``time.monotonic``): this is
about Slack's rate, not about the simulated clock the domain may run on."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class ChannelPacer:
    def __init__(self, *, interval: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_needed(self, channel: str) -> float:
        """Seconds to wait before posting in ``channel`` (0 when it may post now)."""
        with self._lock:
            return max(0.0, self._next.get(channel, 0.0) - self._monotonic())

    def posted(self, channel: str) -> None:
        with self._lock:
            now = self._monotonic()
            self._next[channel] = max(self._next.get(channel, 0.0), now + self.interval)

    def hold(self, channel: str, seconds: float) -> None:
        """After a 429: nothing for this channel before Retry-After has passed."""
        with self._lock:
            now = self._monotonic()
            self._next[channel] = max(self._next.get(channel, 0.0), now + seconds)
