"""CPU per Web API call: our kept-alive client against slack_sdk's stock ``WebClient``.

    .venv/bin/python benchmarks/web_api.py [--calls 500] [--method views.open]

slack_sdk's synchronous client opens a new connection for every call; ours
(``bot/kept_alive.py``) keeps one per thread. Both call the same fake Slack on loopback,
over plain HTTP and over HTTPS (a throwaway certificate authority from ``trustme``, as
the tests use), with the intake modal as the view (what ``/incident`` sends). Measured:
the CPU the calling thread spends per call (``time.thread_time``: the fake answers from
threads of its own, which are not counted) and the wall time per call, one run, both
clients interleaved in rounds so that neither gets a quieter machine."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from slack_sdk import WebClient  # noqa: E402

from bot.kept_alive import KeptAliveWebClient  # noqa: E402
from tests.doubles.faulty_slack import FaultySlack  # noqa: E402
from tests.doubles.tls import throwaway_tls  # noqa: E402
from bot.views.intake import incident_modal  # noqa: E402
from sla_core.config import load_config  # noqa: E402

ROUNDS = 5


def intake_view() -> dict[str, Any]:
    support = load_config(REPO / "app.yaml").support
    return incident_modal(support=support, language="en", accounts=list(support.administered_by("U0ACMEADM")))


def per_call(client: WebClient, method: str, view: dict[str, Any], calls: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per call of this thread."""
    cpu, wall = time.thread_time(), time.perf_counter()
    for n in range(calls):
        if method == "views.open":
            client.views_open(trigger_id=f"bench.{n}", view=view)
        else:
            client.api_call(method)
    return (time.thread_time() - cpu) * 1000 / calls, (time.perf_counter() - wall) * 1000 / calls


def measure(scheme: str, method: str, calls: int, view: dict[str, Any]) -> dict[str, tuple[float, float]]:
    server_tls, client_tls = throwaway_tls() if scheme == "https" else (None, None)
    with FaultySlack(tls=server_tls) as slack:
        clients: dict[str, WebClient] = {
            # As a Bolt app gets it: slack_sdk's defaults, a new connection (and TLS handshake) per call.
            "slack_sdk WebClient": WebClient(token="xoxb-bench", base_url=slack.base_url, ssl=client_tls),
            "kept-alive (ours)": KeptAliveWebClient(token="xoxb-bench", base_url=slack.base_url, ssl=client_tls),
        }
        for client in clients.values():
            per_call(client, method, view, 20)  # warm-up: imports, the first handshake
        totals = {name: [0.0, 0.0] for name in clients}
        for _ in range(ROUNDS):
            for name, client in clients.items():
                cpu, wall = per_call(client, method, view, calls // ROUNDS)
                totals[name][0] += cpu / ROUNDS
                totals[name][1] += wall / ROUNDS
        for client in clients.values():
            if isinstance(client, KeptAliveWebClient):
                client.close()
        slack.reset()
    return {name: (cpu, wall) for name, (cpu, wall) in totals.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500, help="calls per client and scheme")
    parser.add_argument("--method", default="views.open", help="views.open (the intake modal) or any method")
    args = parser.parse_args()
    view = intake_view()
    print(f"{args.calls} × {args.method} per client and scheme, FakeSlack on loopback")
    print(f"{'scheme':<6} {'client':<22} {'CPU ms/call':>11} {'wall ms/call':>12} {'CPU ÷ ours':>10}")
    for scheme in ("http", "https"):
        results = measure(scheme, args.method, args.calls, view)
        ours = results["kept-alive (ours)"][0]
        for name, (cpu, wall) in results.items():
            print(f"{scheme:<6} {name:<22} {cpu:>11.3f} {wall:>12.3f} {cpu / ours:>9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
