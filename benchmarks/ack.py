"""Ack latency of ``astreinte serve`` against a bare Bolt app on the same server.

    .venv/bin/python benchmarks/ack.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                       [--requests 2000] [--levels 1,10,50] [--workers 2]

Starts, on loopback only:
- FakeSlack (the Web API) in its own process, so its work does not steal the clients' GIL;
- ``astreinte serve`` (gunicorn, sync workers) on a dedicated PostgreSQL schema, created,
  migrated and dropped by this script, with one ticket opened to click on;
- a BARE Bolt app (``process_before_response=True``, listeners that only ``ack()``) under
  the very same gunicorn configuration (``bot.gunicorn_app.AstreinteGunicorn``).

Then drives signed ``/incident`` slash commands (no text: the intake modal opens in a lazy
listener, after the ack) and ``ticket.acknowledge`` button clicks (block_actions: the ack
reads the ticket and checks the clicker is an agent) at each concurrency level, with
keep-alive ``http.client`` connections, ``--requests`` per level, kind and app. Prints
requests/s, p50 and p99 for both apps and the ratio of the p99s (target: ≤ 1.5)."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.testing import payloads  # noqa: E402
from bot.testing.signed_requests import SlackRequestSigner  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
TEAM, APP_ID, CHANNEL = "T0ASTRE1", "A0ASTAPP", "C0SUPCRIT"
ADMIN, AGENT = "U0ACMEADM", "U0AGENT01"  # from app.yaml's support section
FORM = dict(title="Login page returns 500", description="Since 19:10 every login fails.", category="incident",
            severity="critical", affected_users="all 300", product_version="5.2", contact_channel="phone",
            contact_phone="+33 6 12 34 56 78", language="en", code_sample="")


# ----- the processes ------------------------------------------------------------------------------
def fake_slack_main() -> int:
    """``--fake-slack``: print the base URL, serve until stdin closes."""
    from bot.testing import FakeSlack

    with FakeSlack() as slack:
        print(slack.base_url, flush=True)
        sys.stdin.read()
    return 0


def bare_main(port: int, workers: int, api_url: str) -> int:
    """``--bare``: Bolt with ack-only listeners under our gunicorn configuration."""
    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    from bot.gunicorn_app import AstreinteGunicorn, ServeOptions
    from bot.settings import Environment

    def factory(_env: Environment) -> tuple[Any, Any]:
        app = App(client=WebClient(token=TOKEN, base_url=api_url), signing_secret=SECRET,
                  process_before_response=True, token_verification_enabled=False)
        app.command("/incident")(lambda ack: ack())
        app.action(re.compile(".*"))(lambda ack: ack())
        return SlackRequestHandler(app, path="/slack/events"), None

    options = ServeOptions(host="127.0.0.1", port=port, workers=workers, log_level="warning")
    AstreinteGunicorn(Environment(), options, factory=factory).run()
    return 0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except HTTPError:
            return  # any HTTP answer: it is serving
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise SystemExit(f"{url} not answering after {timeout}s")


# ----- the load ------------------------------------------------------------------------------------
def command_body(response_url: str) -> str:
    return urlencode(payloads.slash_command(command="/incident", text="", user_id=ADMIN, channel_id=CHANNEL,
                                            team_id=TEAM, api_app_id=APP_ID, response_url=response_url,
                                            trigger_id=payloads.new_trigger_id()))


def button_body(ref: str, response_url: str) -> str:
    payload = payloads.block_actions(
        actions=[payloads.button_action(action_id="ticket.acknowledge", value=ref)], user_id=AGENT, team_id=TEAM,
        api_app_id=APP_ID, trigger_id=payloads.new_trigger_id(), response_url=response_url, channel_id=CHANNEL,
        message={"ts": "1700000000.000100", "text": "root"})
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class Result:
    latencies: list[float]
    seconds: float
    errors: int

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(q * len(data)))] * 1000


def drive(port: int, make_body: Callable[[], str], *, clients: int, total: int) -> Result:
    signer = SlackRequestSigner(SECRET)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [total]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            body = make_body()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **signer.headers(body)}
            started = time.perf_counter()
            try:
                conn.request("POST", "/slack/events", body=body.encode(), headers=headers)
                answer = conn.getresponse()
                answer.read()
                ok = answer.status == 200
                if answer.will_close:
                    conn.close()  # sync workers close after each answer; reconnect on the next request
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            elapsed = time.perf_counter() - started
            if ok:
                mine.append(elapsed)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(latencies, time.perf_counter() - started, errors[0])


# ----- the run ----------------------------------------------------------------------------------------
def open_ticket(url: str) -> str:
    from datetime import UTC, datetime

    from sla_core.persistence.engine import make_engine
    from sla_core.persistence.uow import UnitOfWork
    from sla_core.policy import load_policy
    from sla_core.tickets import TicketForm, load_support, open_ticket as open_

    engine = make_engine(url)
    try:
        view = open_(UnitOfWork(engine), policy=load_policy(REPO / "app.yaml"), support=load_support(REPO / "app.yaml"),
                     reporter_id=ADMIN, form=TicketForm(**FORM), idempotency_key=None, now=datetime.now(UTC))
    finally:
        engine.dispose()
    return view.ref


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fake-slack", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--api-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fake_slack:
        return fake_slack_main()
    if args.bare is not None:
        return bare_main(args.bare, args.workers, args.api_url)

    from sqlalchemy import create_engine, text

    from sla_core.persistence.engine import normalize_url
    from sla_core.persistence.migrate import upgrade_database

    base = normalize_url(args.url)
    schema = f"astreinte_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    processes: list[subprocess.Popen[str]] = []
    try:
        upgrade_database(url)
        # The fake stands in for Slack, which runs on Slack's servers, not beside ours: at a
        # lower CPU priority it takes less of the two cores both apps are measured on.
        fake = subprocess.Popen([sys.executable, __file__, "--fake-slack"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, preexec_fn=lambda: os.nice(10))
        processes.append(fake)
        api_url = fake.stdout.readline().strip()  # type: ignore[union-attr]
        root = api_url.removesuffix("/api/")
        ours_port, bare_port = free_port(), free_port()
        env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url,
               "DATABASE_URL": url, "PYTHONPATH": str(REPO)}
        env.pop("SLACK_APP_TOKEN", None)
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(ours_port),
             "--workers", str(args.workers), "--log-level", "warning"], cwd=REPO, env=env, text=True))
        processes.append(subprocess.Popen(
            [sys.executable, __file__, "--bare", str(bare_port), "--workers", str(args.workers),
             "--api-url", api_url], cwd=REPO, env=env, text=True))
        wait_http(f"http://127.0.0.1:{ours_port}/healthz")
        wait_http(f"http://127.0.0.1:{bare_port}/slack/events")
        ref = open_ticket(url)
        response_url = f"{root}/response/bench"
        kinds: dict[str, Callable[[], str]] = {"/incident": lambda: command_body(response_url),
                                               "button": lambda: button_body(ref, response_url)}
        apps = {"astreinte": ours_port, "bare bolt": bare_port}
        for port in apps.values():  # warm-up: imports, connection pools, the locale cache
            for make in kinds.values():
                drive(port, make, clients=4, total=100)
        print(f"{args.requests} requests per level, kind and app; {args.workers} gunicorn sync workers each; "
              f"PostgreSQL; {os.cpu_count()} CPUs")
        print(f"{'clients':>7} {'kind':<10} {'app':<10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
              f" {'p99 ratio':>9}")
        for level in [int(x) for x in args.levels.split(",")]:
            for kind, make in kinds.items():
                results = {name: drive(port, make, clients=level, total=args.requests)
                           for name, port in apps.items()}
                ratio = results["astreinte"].pct(0.99) / results["bare bolt"].pct(0.99)
                for name, r in results.items():
                    print(f"{level:>7} {kind:<10} {name:<10} {r.rps:>7.0f} {r.pct(0.5):>7.2f} {r.pct(0.99):>7.2f}"
                          f" {r.errors:>6}" + (f" {ratio:>8.2f}x" if name == "bare bolt" else ""), flush=True)
    finally:
        # Servers first, and wait for them: the work they still owe after their acks (modals
        # queued behind 50 clients) calls the fake Slack, which must outlive them.
        for batch in (processes[1:], processes[:1]):
            for process in batch:
                if process.poll() is None:
                    if process.stdin:
                        process.stdin.close()
                    process.send_signal(signal.SIGTERM)
            for process in batch:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
