"""`SettableClock`: ``BotContext.clock`` standing still at an instant its owner moves.

The demo's story and the tests jump straight to the instants that matter (a deadline, a
reminder) instead of waiting for them; only `bot/` reads the clock, through this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class SettableClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)``; the new instant."""
        self.now += timedelta(**delta)
        return self.now
