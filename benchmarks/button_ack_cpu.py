"""CPU of an agent's button click in the ack and after it, in one process: the root post's
[Acknowledge] as rendered (its value carries the status it was shown in, so the ack reads
nothing) against the same click with a plain reference (the ack reads the ticket's row).

    .venv/bin/python benchmarks/button_ack_cpu.py [--requests 300] [--rounds 3]

The real app (``build_app`` on the offline harness's context, a migrated SQLite file, the
offline Slack answering ``views.open``) is dispatched signed ``block_actions`` requests
directly (no HTTP server), and the work after the ack is run inline right after each, so
the thread CPU time of each part can be counted apart. CPU time, not wall time: it holds
on a busy machine where latencies do not."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from slack_bolt import BoltRequest  # noqa: E402

from benchmarks.listener_routing import ADMIN, AGENT, APP_ID, CHANNEL, SECRET, TEAM, InlineAfterAck  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.offline import FakeSlack, payloads  # noqa: E402
from bot.offline.harness import offline_context  # noqa: E402
from bot.offline.signed_requests import SlackRequestSigner  # noqa: E402
from bot.rendering.action_ids import ticket_button_value  # noqa: E402
from sla_core.config import load_config  # noqa: E402
from sla_core.persistence.migrate import upgrade_database  # noqa: E402
from sla_core.tickets import Status, TicketForm, open_ticket  # noqa: E402


def clicks(slack: FakeSlack, value: str, total: int) -> list[BoltRequest]:
    signer = SlackRequestSigner(SECRET)
    out = []
    for _ in range(total):
        payload = payloads.block_actions(
            actions=[payloads.button_action(action_id="ticket.acknowledge", value=value)], user_id=AGENT,
            team_id=TEAM, api_app_id=APP_ID, trigger_id=payloads.new_trigger_id(),
            response_url=slack.base_url + "response", channel_id=CHANNEL,
            message={"ts": "1700000000.000100", "text": "root"})
        raw = urlencode({"payload": json.dumps(payload)})
        out.append(BoltRequest(body=raw, headers={"content-type": "application/x-www-form-urlencoded",
                                                  **signer.headers(raw)}))
    return out


def measure(dispatch: Callable[[BoltRequest], Any], after: InlineAfterAck,
            requests: list[BoltRequest]) -> tuple[float, float]:
    """Mean CPU ms per click: the ack, and the ack with the work after it."""
    ack = total = 0.0
    for request in requests:
        started = time.thread_time()
        response = dispatch(request)
        acked = time.thread_time()
        after.run()
        ack += acked - started
        total += time.thread_time() - started
        assert response.status == 200, response.body
    return ack * 1000 / len(requests), total * 1000 / len(requests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        url = f"sqlite:///{folder}/bench.db"
        upgrade_database(url)
        with offline_context(load_config(REPO / "app.yaml"), url, slack) as ctx:
            ctx.after_ack.shutdown()
            after = InlineAfterAck()
            ctx.after_ack = after  # type: ignore[assignment]
            form = TicketForm(title="Login fails", description="Every login fails since 09:40.",
                              category="incident", product_version="5.2", language="en",
                              contact_channel="email", severity="important")
            ref = open_ticket(ctx.uow(), policy=ctx.policy, support=ctx.support, reporter_id=ADMIN, form=form,
                              idempotency_key=None, now=ctx.now()).ref
            app = build_app(ctx, signing_secret=SECRET)
            values = {"as rendered (ref + status)": ticket_button_value(ref, Status.OPENED),
                      "plain ref (row read in the ack)": ref}
            for value in values.values():  # warm-up: imports, pools, the locale cache
                measure(app.dispatch, after, clicks(slack, value, 50))
            best: dict[str, tuple[float, float]] = {}
            for _ in range(args.rounds):
                for name, value in values.items():
                    run = measure(app.dispatch, after, clicks(slack, value, args.requests))
                    best[name] = min(best.get(name, run), run)
    print(f"{args.requests} clicks of [Acknowledge] by an agent, best of {args.rounds} rounds; CPU ms per click")
    print(f"{'button value':34} {'ack':>7} {'+ after ack':>12}")
    for name, (ack, total) in best.items():
        print(f"{name:34} {ack:7.3f} {total:12.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
