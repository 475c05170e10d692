"""Ack latency of ``astreinte serve`` against bare Bolt apps on the same server.

    .venv/bin/python benchmarks/ack.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                       [--requests 2000] [--levels 1,10,50] [--workers 2]
                                       [--rates 50,100,200] [--paced-requests 1000]
                                       [--kinds /incident,button] [--slack stand-in|recording]

Starts, on loopback only:
- a stand-in for the Slack Web API in its own process (``benchmarks/slack_stand_in.py``:
  Slack's answers, nothing recorded; ``--slack recording`` uses the tests' FakeSlack, which
  costs about five times as much CPU per call on the cores being measured);
- ``astreinte serve`` (gunicorn, sync workers) on a dedicated PostgreSQL schema, created,
  migrated and dropped by this script, with one ticket opened to click on;
- a BARE Bolt app (``process_before_response=True``, listeners that only ``ack()``) under
  the very same gunicorn configuration, the FLOOR of any Bolt app that opens modals
  (that bare app, opening the same modals after its acks, without any of our work), and
  that floor reading one database row before each modal (FLOOR+ROW: the ticket's row by
  its reference, SQLAlchemy Core on an autocommit engine), which is what checking a
  ticket's current state costs any app: all three from ``benchmarks/bolt_baselines.py``.

Then drives signed ``/incident`` slash commands (no text: the intake modal opens right after
the ack) and ``ticket.acknowledge`` button clicks as the root post renders the button (its
value: the reference and the status it was shown in; an agent's click is acked before the
ticket's row is read, which is read, checked and the acknowledge modal opened right after),
``--requests`` per level, kind and app:
- closed loop, the issue's measure: 1, 10 and 50 clients sending back to back (each sends
  its next request as soon as it has the answer), which keeps the two cores saturated;
- open loop: requests arriving at a steady 50, 100 and 200 per second whatever the answers,
  as Slack delivers clicks (users do not wait for each other), ``--paced-requests`` each.
Request bodies are built and signed before the clock starts. Between measurements it waits
until every process is idle again, so that work one app still owes (modals behind a queue)
never lands in the other's measurement.

Prints, per load, kind and app: requests/s, p50 and p99 of the ack as the client sees it,
the ratio of each p99 to the bare app's (the issue's target: ≤ 1.5) and of ours to the
floor's (what our own code adds) and to the floor+row's (what it adds beyond one read), the CPU the app's processes spent per request (the work
after the ack included; their idle background, measured before, taken out), and for the
apps that open modals the p99 from request to ``views.open`` reaching Slack (Slack honours
a trigger for 3 s) and how many requests got no modal."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.offline import payloads  # noqa: E402
from bot.offline.signed_requests import SlackRequestSigner  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
TEAM, APP_ID, CHANNEL = "T0ASTRE1", "A0ASTAPP", "C0SUPCRIT"
ADMIN, AGENT = "U0ACMEADM", "U0AGENT01"  # from app.yaml's support section
PACED_CLIENTS = 32  # enough connections that a paced request never waits for a free one
FORM = dict(title="Login page returns 500", description="Since 19:10 every login fails.", category="incident",
            severity="critical", affected_users="all 300", product_version="5.2", contact_channel="phone",
            contact_phone="+33 6 12 34 56 78", language="en", code_sample="")


# ----- the processes ------------------------------------------------------------------------------
def fake_slack_main() -> int:
    """``--fake-slack``: the tests' recording FakeSlack; print the base URL, serve until stdin closes."""
    from bot.offline import FakeSlack

    with FakeSlack() as slack:
        print(slack.base_url, flush=True)
        sys.stdin.read()
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


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its live children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            with open(f"/proc/{current}/task/{current}/children") as f:
                pending.extend(int(child) for child in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue  # a process that ended meanwhile
    return total


def idle_cpu_rate(pid: int, seconds: float = 0.5) -> float:
    """CPU seconds per second a process tree spends with nothing to do (its heartbeats)."""
    before = process_tree_cpu(pid)
    time.sleep(seconds)
    return (process_tree_cpu(pid) - before) / seconds


def wait_until_idle(pids: list[int], *, timeout: float = 60, window: float = 0.25) -> None:
    """Until the processes together use under 5 % of one CPU over ``window`` seconds."""
    deadline = time.monotonic() + timeout
    before = sum(process_tree_cpu(p) for p in pids)
    while time.monotonic() < deadline:
        time.sleep(window)
        after = sum(process_tree_cpu(p) for p in pids)
        if after - before < 0.05 * window:
            return
        before = after


# ----- the load ------------------------------------------------------------------------------------
def command_body(response_url: str, trigger_id: str) -> str:
    return urlencode(payloads.slash_command(command="/incident", text="", user_id=ADMIN, channel_id=CHANNEL,
                                            team_id=TEAM, api_app_id=APP_ID, response_url=response_url,
                                            trigger_id=trigger_id))


def button_body(value: str, response_url: str, trigger_id: str) -> str:
    payload = payloads.block_actions(
        actions=[payloads.button_action(action_id="ticket.acknowledge", value=value)], user_id=AGENT, team_id=TEAM,
        api_app_id=APP_ID, trigger_id=trigger_id, response_url=response_url, channel_id=CHANNEL,
        message={"ts": "1700000000.000100", "text": "root"})
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class Result:
    latencies: list[float]
    seconds: float
    errors: int
    sent_at: dict[str, float]  # trigger_id → Unix time the request was sent (due, in the open loop)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        return percentile(self.latencies, q) * 1000


def percentile(data: list[float], q: float) -> float:
    ordered = sorted(data)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


MakeBody = Callable[[str], str]  # trigger_id → the request's body


def signed_requests(make_body: MakeBody, total: int) -> list[tuple[str, bytes, dict[str, str]]]:
    """Trigger ids, bodies and headers, built before the clock starts (a signature stays
    valid 5 minutes)."""
    signer = SlackRequestSigner(SECRET)
    requests = []
    for _ in range(total):
        trigger_id = payloads.new_trigger_id()
        body = make_body(trigger_id)
        requests.append((trigger_id, body.encode(),
                         {"Content-Type": "application/x-www-form-urlencoded", **signer.headers(body)}))
    return requests


def drive(port: int, make_body: MakeBody, *, clients: int, total: int, rate: float | None = None) -> Result:
    """``clients`` connections sending back to back (closed loop) or, with ``rate``,
    requests arriving every 1/rate seconds whatever the answers (open loop, as Slack sends
    them: users do not wait for each other). Open-loop latency counts from the instant a
    request was due, so a request held up behind a busy client is not flattered."""
    requests = signed_requests(make_body, total)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    next_index = [0]
    sent_at: dict[str, float] = {}
    t0 = time.perf_counter() + 0.05

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while True:
            with lock:
                index = next_index[0]
                if index >= total:
                    break
                next_index[0] += 1
            trigger_id, body, headers = requests[index]
            if rate is None:
                started = time.perf_counter()
            else:
                started = t0 + index / rate
                time.sleep(max(0.0, started - time.perf_counter()))
            sent_at[trigger_id] = time.time() - (time.perf_counter() - started)
            try:
                conn.request("POST", "/slack/events", body=body, headers=headers)
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
    return Result(latencies, time.perf_counter() - started, errors[0], sent_at)


def fetch_opened(slack_root: str) -> dict[str, float]:
    """When each trigger's ``views.open`` reached the stand-in (Unix time); the stand-in forgets them."""
    with urllib.request.urlopen(f"{slack_root}/opened", timeout=10) as answer:
        return dict(json.loads(answer.read()))


def modal_latencies(opened: dict[str, float], result: Result) -> tuple[list[float], int]:
    """Seconds from each request to its ``views.open`` reaching the stand-in, and how many
    requests got no modal at all."""
    delays = [opened[t] - sent for t, sent in result.sent_at.items() if t in opened]
    return delays, len(result.sent_at) - len(delays)


# ----- the run ----------------------------------------------------------------------------------------
def open_ticket(url: str) -> str:
    from datetime import UTC, datetime

    from sla_core.persistence.engine import make_engine
    from sla_core.persistence.uow import UnitOfWork
    from sla_core.config import load_config
    from sla_core.tickets import TicketForm, open_ticket as open_

    config = load_config(REPO / "app.yaml")
    engine = make_engine(url)
    try:
        view = open_(UnitOfWork(engine), policy=config.policy, support=config.support,
                     reporter_id=ADMIN, form=TicketForm(**FORM), idempotency_key=None, now=datetime.now(UTC))
    finally:
        engine.dispose()
    return view.ref


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--levels", default="1,10,50", help="closed loop: concurrent clients, back to back")
    parser.add_argument("--rates", default="50,100,200",
                        help="open loop: requests per second arriving at a steady pace ('' to skip)")
    parser.add_argument("--kinds", default="/incident,button", help="which requests to send")
    parser.add_argument("--paced-requests", type=int, default=1000, help="requests per open-loop rate, kind and app")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--slack", choices=("stand-in", "recording"), default="stand-in",
                        help="what answers the Web API calls made after the acks (default: the light stand-in)")
    parser.add_argument("--fake-slack", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fake_slack:
        return fake_slack_main()

    from benchmarks.scratch_schema import migrated_schema

    with migrated_schema(args.url) as scratch:
        run(args, scratch.url)
    return 0


def run(args: argparse.Namespace, url: str) -> None:
    """Start the stand-in and the four servers on the migrated schema at ``url``, measure, stop them."""
    processes: list[subprocess.Popen[str]] = []
    try:
        # Whatever answers for Slack stands in for Slack's servers, which do not share our
        # cores: at a lower CPU priority it takes less of the two cores both apps run on.
        slack_command = ([str(REPO / "benchmarks" / "slack_stand_in.py")] if args.slack == "stand-in"
                         else [__file__, "--fake-slack"])
        fake = subprocess.Popen([sys.executable, *slack_command], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, preexec_fn=lambda: os.nice(10))
        processes.append(fake)
        api_url = fake.stdout.readline().strip()  # type: ignore[union-attr]
        root = api_url.removesuffix("/api/")
        ours_port, bare_port, floor_port, row_port = free_port(), free_port(), free_port(), free_port()
        ref = open_ticket(url)  # the ticket clicked on, and the row the fourth app reads
        env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url,
               "DATABASE_URL": url, "PYTHONPATH": str(REPO)}
        env.pop("SLACK_APP_TOKEN", None)
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(ours_port),
             "--workers", str(args.workers), "--log-level", "warning"], cwd=REPO, env=env, text=True))
        baselines = [sys.executable, str(REPO / "benchmarks" / "bolt_baselines.py"), "--workers", str(args.workers),
                     "--api-url", api_url]
        processes.append(subprocess.Popen([*baselines, "--port", str(bare_port)], cwd=REPO, env=env, text=True))
        processes.append(subprocess.Popen([*baselines, "--port", str(floor_port), "--modal"], cwd=REPO, env=env,
                                          text=True))
        processes.append(subprocess.Popen([*baselines, "--port", str(row_port), "--modal", "--read-row", ref],
                                          cwd=REPO, env=env, text=True))
        wait_http(f"http://127.0.0.1:{ours_port}/healthz")
        wait_http(f"http://127.0.0.1:{bare_port}/slack/events")
        wait_http(f"http://127.0.0.1:{floor_port}/slack/events")
        wait_http(f"http://127.0.0.1:{row_port}/slack/events")
        from bot.rendering.action_ids import ticket_button_value
        from sla_core.tickets import Status

        value = ticket_button_value(ref, Status.OPENED)  # the root post's [Acknowledge]
        response_url = f"{root}/response/bench"
        kinds: dict[str, MakeBody] = {"/incident": lambda trigger: command_body(response_url, trigger),
                                      "button": lambda trigger: button_body(value, response_url, trigger)}
        kinds = {kind: make for kind, make in kinds.items() if kind in args.kinds.split(",")}
        apps = {"astreinte": (ours_port, processes[1].pid), "bare bolt": (bare_port, processes[2].pid),
                "bolt+modal": (floor_port, processes[3].pid), "bolt+modal+row": (row_port, processes[4].pid)}
        everyone = [p.pid for p in processes]
        for port, _pid in apps.values():  # warm-up: imports, connection pools, the locale cache
            for make in kinds.values():
                drive(port, make, clients=4, total=100)
        print(f"{args.requests} requests per level, kind and app; {args.workers} gunicorn sync workers each; "
              f"PostgreSQL; Slack answered by the {args.slack}; {os.cpu_count()} CPUs")
        print(f"{'load':>11} {'kind':<10} {'app':<14} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
              f" {'CPU ms/req':>10} {'÷ bare':>9} {'÷ floor':>9} {'÷ floor+row':>11} {'modal p99 ms':>12}"
              f" {'no modal':>8}")
        loads = [(f"{int(x):>3} clients", int(x), args.requests, None) for x in args.levels.split(",") if x]
        loads += [(f"{int(x):>3} req/s", PACED_CLIENTS, args.paced_requests, float(x))
                  for x in args.rates.split(",") if x]
        for label, clients, total, rate in loads:
            for kind, make in kinds.items():
                results, cpu = {}, {}
                for name, (port, pid) in apps.items():
                    wait_until_idle(everyone)
                    idle = idle_cpu_rate(pid)
                    before, started = process_tree_cpu(pid), time.monotonic()
                    results[name] = drive(port, make, clients=clients, total=total, rate=rate)
                    wait_until_idle(everyone)  # the modals owed after the acks count as this app's work
                    spent = process_tree_cpu(pid) - before - idle * (time.monotonic() - started)
                    cpu[name] = max(0.0, spent) * 1000 / total
                bare_p99, floor_p99 = results["bare bolt"].pct(0.99), results["bolt+modal"].pct(0.99)
                row_p99 = results["bolt+modal+row"].pct(0.99)
                opened = fetch_opened(root) if args.slack == "stand-in" else None  # the bare app opens none
                for name, r in results.items():
                    line = (f"{label:>11} {kind:<10} {name:<14} {r.rps:>7.0f} {r.pct(0.5):>7.2f} {r.pct(0.99):>7.2f}"
                            f" {r.errors:>6} {cpu[name]:>10.2f}")
                    if name != "bare bolt":
                        line += f" {r.pct(0.99) / bare_p99:>8.2f}x"
                        line += (f" {r.pct(0.99) / floor_p99:>8.2f}x {r.pct(0.99) / row_p99:>10.2f}x"
                                 if name == "astreinte" else f" {'':>9} {'':>11}")
                        if opened is not None:
                            delays, missing = modal_latencies(opened, r)
                            line += f" {percentile(delays, 0.99) * 1000:>12.1f} {missing:>8}"
                    print(line, flush=True)
    finally:
        # Servers first, and wait for them: the work they still owe after their acks (modals
        # queued behind 50 clients) calls the Slack stand-in, which must outlive them.
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


if __name__ == "__main__":
    sys.exit(main())
