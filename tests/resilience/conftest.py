"""Shared pieces of the "exactly once" tests: a FaultySlack whose timestamps follow the real
clock, a PostgreSQL schema per module, tickets opened in the past so that their notices
are already due, the bot's processes in their own process groups (so SIGKILL reaches
gunicorn's workers too), and the two ledgers compared at the end: the outbox rows and the
messages FaultySlack holds, counted by their metadata key.

Why the fake's timestamps are moved: the sender looks a lost post up with
``conversations.history(oldest=created_at - lookback)``. Real Slack's ``ts`` is real time;
the fake's starts in November 2023. Against ``astreinte serve`` (real clock, 2026) every
lookup would then miss and every unknown outcome would be posted twice — a property of
the fake, not of the bot — so ``realtime_slack()`` starts the fake's counter at now."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.context import BotContext, Clock, system_clock
from bot.offline.fake_slack_workspace import FIRST_TS_MICROS
from bot.offline.harness import offline_context
from tests.doubles.faulty_slack import FaultySlack
from sla_core.outbox.address import RootPost
from sla_core.outbox.codec import encode_address
from sla_core.persistence.migrate import upgrade_database
from sla_core.outbox.models import OutboxRow
from sla_core.config import load_config
from sla_core.tickets import TicketForm, TicketView, service
from tests.conftest_db import POSTGRES_URL, PostgresSchemas, url_with_schema
from tests.serve.conftest import base_environ, free_port, http_get

REPO = Path(__file__).resolve().parents[2]
REPORTER, AGENT = "U0ACMEADM", "U0AGENT01"
SECRET = "resilience-signing-secret"
PERFORMED = ("ok", "delayed", "dropped")  # outcomes of calls the fake carried out
CHILD = Path(__file__).with_name("sender_child.py")


# ----- Slack ---------------------------------------------------------------------------
def realtime_slack() -> FaultySlack:
    """A FaultySlack whose ``ts`` start at the real current time (see the module docstring)."""
    slack = FaultySlack()
    now_micros = int(time.time() * 1_000_000)
    slack._workspace._ts_counter = (now_micros - FIRST_TS_MICROS) // 100  # noqa: SLF001 - see docstring
    return slack


def posted_channels(slack: FaultySlack) -> set[str]:
    """Every channel a chat.postMessage named (user ids resolved to their DM)."""
    channels = set()
    for call in slack.calls("chat.postMessage"):
        channel = str(call.params.get("channel") or "")
        channels.add(slack.dm_channel(channel) if channel[:1] in ("U", "W") else channel)
    return channels


def keys_in_slack(slack: FaultySlack) -> Counter[str]:
    """How many messages Slack holds for each outbox key: what the people would read."""
    return Counter(m.metadata["event_payload"]["key"] for c in posted_channels(slack) for m in slack.messages(c)
                   if m.metadata and m.metadata.get("event_type") == "astreinte_notification")


def keys_in_calls(slack: FaultySlack) -> Counter[str]:
    """chat.postMessage calls the fake carried out, by key (``ok``, or slow or lost answers)."""
    return Counter(c.params["metadata"]["event_payload"]["key"] for c in slack.calls("chat.postMessage")
                   if c.outcome in PERFORMED and c.params.get("metadata"))


# ----- the database ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def pg_url(postgres_schemas: PostgresSchemas) -> str:
    """A fresh, migrated PostgreSQL schema for this module (skipped without PostgreSQL)."""
    url = url_with_schema(POSTGRES_URL, postgres_schemas.create("astreinte_resilience"))
    upgrade_database(url)
    return url


@dataclass(frozen=True)
class Row:
    key: str
    kind: str
    audience: str
    status: str
    attempts: int
    payload: dict


def outbox(ctx: BotContext) -> list[Row]:
    with ctx.uow() as uow:
        return [Row(r.key, r.kind, r.audience, r.status, r.attempts, dict(r.payload))
                for r in uow.session.scalars(select(OutboxRow).order_by(OutboxRow.id))]


def undelivered(ctx: BotContext, now: datetime) -> list[Row]:
    """Rows still to deliver that are ready by ``now`` (a lease or a backoff counts as ready)."""
    with ctx.uow() as uow:
        rows = uow.session.scalars(select(OutboxRow).where(OutboxRow.status.in_(("pending", "sending"))))
        return [Row(r.key, r.kind, r.audience, r.status, r.attempts, dict(r.payload)) for r in rows]


def expected_posts(rows: list[Row]) -> set[str]:
    """Keys that must be in Slack as a message: every sent row but the root refreshes
    (chat.update in place, no message of their own)."""
    return {r.key for r in rows if r.status == "sent" and r.audience != "root"}


def assert_exactly_once(ctx: BotContext, slack: FaultySlack) -> dict[str, int]:
    """The contract: every decided notice sent, none failed, each in Slack exactly once."""
    rows = outbox(ctx)
    statuses = Counter(r.status for r in rows)
    assert statuses["failed"] == 0, [r for r in rows if r.status == "failed"]
    assert statuses["pending"] == 0 and statuses["sending"] == 0, [r for r in rows if r.status in ("pending",
                                                                                                     "sending")]
    in_slack = keys_in_slack(slack)
    twice = {k: n for k, n in in_slack.items() if n > 1}
    assert twice == {}, f"posted more than once: {twice}"
    expected = expected_posts(rows)
    assert set(in_slack) == expected, (f"missing: {expected - set(in_slack)}; "
                                       f"unexpected: {set(in_slack) - expected}")
    performed = keys_in_calls(slack)
    assert {k: n for k, n in performed.items() if n > 1} == {}
    return {"rows": len(rows), "sent": statuses["sent"], "messages": sum(in_slack.values()),
            "digested": statuses["digested"]}


# ----- the desk --------------------------------------------------------------------------
def config_with_tick(tmp: Path, seconds: int = 1) -> Path:
    """A copy of app.yaml with a short scheduler tick."""
    text = (REPO / "app.yaml").read_text()
    assert "tick_seconds: 15" in text
    path = tmp / "app.yaml"
    path.write_text(text.replace("tick_seconds: 15", f"tick_seconds: {seconds}"))
    return path


_CONTEXTS = ExitStack()


@pytest.fixture(autouse=True)
def close_contexts() -> Iterator[None]:
    """Close every context a test made (its database connections, its client): a pooled
    connection left to the garbage collector warns (as an error) in whichever test runs next."""
    yield
    _CONTEXTS.close()


def make_ctx(url: str, slack: FaultySlack, config: Path, clock: Clock = system_clock) -> BotContext:
    """The bot's own wiring (``offline_context``) on the migrated database at ``url`` (the real
    clock unless given one, e.g. a ``SettableClock``: ticket instants are explicit), with a
    plain slack_sdk client: no 429 or 5xx retried inside it, so every call these tests count
    at the fake is one the bot chose to make."""
    client = WebClient(token="xoxb-test", base_url=slack.base_url)
    return _CONTEXTS.enter_context(offline_context(load_config(config), url, slack, clock=clock,
                                                   client=client))


def open_ticket(ctx: BotContext, *, severity: str, opened_at: datetime, key: str) -> TicketView:
    form = TicketForm(title=f"{severity} outage {key}", description="Payments fail for every cashier.",
                      category="incident", product_version="5.2", language="en", contact_channel="phone",
                      contact_phone="+33 6 12 34 56 78", severity=severity, affected_users="all 300 cashiers")
    return service.open_ticket(ctx.uow(), policy=ctx.policy, support=ctx.support, reporter_id=REPORTER, form=form,
                               idempotency_key=key, now=opened_at)


def minutes_ago(minutes: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(minutes=minutes)


def out_of_hours_ago(ctx: BotContext, minutes: float) -> datetime:
    """At least ``minutes`` ago, and outside business hours: a Critical ticket opened then
    is paged to on-call whatever the time the test runs (``astreinte serve`` keeps the real
    clock). At night that is just ``minutes`` ago; on a working day, before 09:00."""
    instant = minutes_ago(minutes)
    while ctx.policy.business_calendar.is_open(instant):
        instant -= timedelta(minutes=15)
    return instant


def bot_environ(tmp: Path, url: str, slack: FaultySlack, config: Path) -> dict[str, str]:
    return {**base_environ(tmp), "SLACK_BOT_TOKEN": "xoxb-resilience", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url, "DATABASE_URL": url, "ASTREINTE_CONFIG": str(config)}


# ----- processes ------------------------------------------------------------------------------
@dataclass
class Proc:
    """A process in its own group: SIGKILL on the group kills gunicorn's workers too."""

    process: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        try:  # gunicorn's workers are in the group too: make sure none survived
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def terminate(self, timeout: float = 15) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_listening(self, timeout: float = 20) -> None:
        """Until the server answers /healthz at all (503 is fine: a failing row is expected)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"exited with {self.process.returncode}:\n{self.log()}")
            try:
                http_get(self.url + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"not listening after {timeout}s:\n{self.log()}")


def spawn(args: list[str], env: dict[str, str], log_path: Path, url: str = "") -> Proc:
    with log_path.open("ab") as log_file:
        process = subprocess.Popen(args, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return Proc(process=process, log_path=log_path, url=url)


def start_serve(env: dict[str, str], tmp: Path, name: str, *, workers: int = 1, port: int | None = None) -> Proc:
    """``astreinte serve`` (gunicorn: a master and ``workers`` workers) in its own process group."""
    port = port or free_port()
    return spawn([sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                  "--workers", str(workers), "--log-level", "info"], env, tmp / f"{name}.log",
                 url=f"http://127.0.0.1:{port}")


def wait_for_line(proc: Proc, text: str, timeout: float = 15) -> None:
    """Until ``text`` shows in the process's log (e.g. its first tick: it is working)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in proc.log():
            return
        if proc.process.poll() is not None:
            raise AssertionError(f"exited with {proc.process.returncode}:\n{proc.log()[-4000:]}")
        time.sleep(0.05)
    raise AssertionError(f"no {text!r} after {timeout}s:\n{proc.log()[-4000:]}")


def seeded_random() -> tuple[int, random.Random]:
    """Random, but replayable: RESILIENCE_SEED=<the seed in a failure message>."""
    seed = int(os.environ.get("RESILIENCE_SEED") or random.SystemRandom().randrange(1_000_000))
    return seed, random.Random(seed)


def start_child(env: dict[str, str], tmp: Path, name: str, **knobs: str) -> Proc:
    """``sender_child.py``: the real tick and the real Sender with a short lease."""
    return spawn([sys.executable, str(CHILD)], {**env, **{f"RESILIENCE_{k.upper()}": v for k, v in knobs.items()}},
                 tmp / f"{name}.log")


def stop_all(procs: list[Proc], timeout: float = 15) -> None:
    """SIGTERM every group at once (a container runtime stopping its replicas), then wait."""
    for p in procs:
        if p.process.poll() is None:
            os.killpg(p.process.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.process.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()


def wait_drained(ctx: BotContext, slack: FaultySlack, *, timeout: float, procs: list[Proc] = ()) -> float:
    """Until no row waits and no call is in flight at the fake; returns the seconds taken."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        for p in procs:
            if p.process.poll() is not None:
                raise AssertionError(f"{p.log_path.name} exited with {p.process.returncode}:\n{p.log()[-4000:]}")
        if not undelivered(ctx, ctx.now()):
            time.sleep(0.3)  # a second look: a tick may have been deciding
            if not undelivered(ctx, ctx.now()):
                return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"outbox not drained in {timeout}s: {undelivered(ctx, ctx.now())}\n"
                         + "\n".join(p.log()[-3000:] for p in procs))


@pytest.fixture(scope="module")
def slack() -> Iterator[FaultySlack]:
    with realtime_slack() as fake:
        yield fake
