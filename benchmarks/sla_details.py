"""What an "SLA details" modal costs: the ledger (``sla_core.ledger``) and the modal
(``bot/views/sla_details.py``) of a Low ticket paused and resumed N times, best of 5.

    .venv/bin/python benchmarks/sla_details.py [--pauses 0,40,400]

Prints, per N: the modal's blocks, its longest text, the best time and the JSON size. The
modal is built after the button's ack and must reach Slack within the trigger's 3 s."""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bot.views.sla_details import sla_details_modal
from sla_core.clocks import ClockEvent, EventType
from sla_core.config import load_config
from sla_core.ledger import ledger
from sla_core.severity import Severity

PARIS = ZoneInfo("Europe/Paris")
OPENED = datetime(2026, 3, 20, 17, 0, tzinfo=PARIS)  # a Friday; the spring DST change falls inside


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pauses", default="0,40,400")
    args = parser.parse_args()
    policy = load_config().policy
    for pauses in (int(p) for p in args.pauses.split(",")):
        events = [ClockEvent(at=OPENED + timedelta(minutes=5), type=EventType.CALLBACK, by="U0AGENT01")]
        for i in range(pauses):
            events.append(ClockEvent(at=OPENED + timedelta(hours=1 + 3 * i), type=EventType.WAITING_ON_CUSTOMER,
                                     by="U0AGENT01"))
            events.append(ClockEvent(at=OPENED + timedelta(hours=2 + 3 * i), type=EventType.CUSTOMER_REPLIED,
                                     by="U0ACMEADM"))
        now = OPENED + timedelta(hours=3 * pauses + 5)
        ticket = SimpleNamespace(ref="INC-2026-000001", severity=Severity.LOW, title="Login page returns 500")
        best, view = float("inf"), {}
        for _ in range(5):
            started = time.perf_counter()
            book = ledger(policy, opened_at=OPENED, severity=Severity.LOW, events=events, now=now)
            view = sla_details_modal(ticket, book, policy=policy, language="fr")  # type: ignore[arg-type]
            best = min(best, time.perf_counter() - started)
        longest = max(len(b.get("text", {}).get("text", "")) for b in view["blocks"])
        print(f"{pauses:>4} pauses: {len(view['blocks'])} blocks, longest text {longest} chars, "
              f"{best * 1000:.1f} ms, {len(json.dumps(view))} bytes")


if __name__ == "__main__":
    main()
