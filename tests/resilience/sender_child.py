"""A bot process for the SIGKILL loop: the real scheduler tick (``bot.scheduling.tick_once``)
and the real outbox ``Sender``, as ``astreinte serve`` runs them, but with shorter times.

Why not ``astreinte serve`` for every iteration: serve holds its claims with the production
lease (30 s, renewed every 10 s), so each iteration would wait half a minute for the rows
a killed serve left behind (``test_crash_intake.py`` does that once, with the real serve).
This script changes only the numbers (lease, client timeout, backoff, pacing), read from
the environment; the code path is the bot's own, renewal included (every third of the lease).

    RESILIENCE_LEASE=2 RESILIENCE_TIMEOUT=0.5 RESILIENCE_BACKOFF=1 RESILIENCE_MODE=loop|drain \
        RESILIENCE_SHIFT=0 python sender_child.py

``loop`` runs until killed; ``drain`` exits 0 once no row is pending or sending.
``SHIFT`` (seconds) runs the process's clock ahead of the real time: "a minute later",
when the leases a killed ``astreinte serve`` left behind have run out."""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.logs import configure_logging  # noqa: E402
from bot.context import system_clock  # noqa: E402
from bot.delivery import Sender  # noqa: E402
from bot.runtime import build_context  # noqa: E402
from bot.scheduling import tick_once  # noqa: E402
from bot.settings import Environment  # noqa: E402
from sla_core.config import load_config  # noqa: E402
from sla_core.outbox import store  # noqa: E402


def knob(name: str, default: str) -> float:
    return float(os.environ.get(f"RESILIENCE_{name}", default))


def main() -> int:
    configure_logging("info")
    shift = timedelta(seconds=knob("SHIFT", "0"))
    ctx = build_context(Environment.from_environ(), load_config(), prepare=False, clock=lambda: system_clock() + shift)
    sender = Sender(ctx, f"child-{os.getpid()}", lease=timedelta(seconds=knob("LEASE", "2")),
                    timeout=knob("TIMEOUT", "0.5"), backoff=timedelta(seconds=knob("BACKOFF", "1")),
                    # The fake's slowest post lands 0.8 s after it is sent: settle a little longer.
                    in_flight_settle=knob("SETTLE", "1.2"),
                    max_backoff=timedelta(seconds=2), root_wait=timedelta(seconds=0.2), channel_interval=0.02)
    drain = os.environ.get("RESILIENCE_MODE", "loop") == "drain"
    tick_every, last_tick = knob("TICK", "0.5"), 0.0
    while True:
        if time.monotonic() - last_tick >= tick_every:
            tick_once(ctx)
            last_tick = time.monotonic()
        done = sender.run_once()
        if drain:
            with ctx.uow() as uow:
                counts = store.counts(uow.session)
            if counts[store.PENDING] == 0 and counts[store.SENDING] == 0:
                logging.getLogger("resilience").info("drained: %s", counts)
                return 0
        if not done:
            time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
