"""Ticket store benchmark on PostgreSQL: 100,000 tickets with their events, then the two
queries the scheduler and the agents run all day.

    .venv/bin/python benchmarks/store.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                         [--tickets 100000] [--runs 21]

Seeds a dedicated schema (migrated with Alembic, filled with COPY), times "open tickets
due before T" and "an agent's open queue ordered by next due" through the repository
(median of N runs), prints EXPLAIN (ANALYZE) of both, and drops the schema."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch_schema import migrated_schema  # noqa: E402
from sla_core.persistence.engine import make_engine  # noqa: E402
from sla_core.persistence.models import OPEN_STATUSES  # noqa: E402
from sla_core.persistence.uow import UnitOfWork  # noqa: E402

STATUSES = [*OPEN_STATUSES, "resolved", "closed"]
WEIGHTS = [10, 5, 20, 8, 7, 25, 25]  # about half the tickets still open
AGENTS = [f"UAGENT{i:03d}" for i in range(40)]
BASE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def seed(conninfo: str, schema: str, n: int) -> None:
    rng = random.Random(2026)
    with psycopg.connect(conninfo, options=f"-csearch_path={schema}") as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO customer_accounts (id, name, active) VALUES ('acme', 'ACME', true)")
        with cur.copy("COPY tickets (id, ref, reporter_id, account_id, assignee_id, title, description, category, "
                      "product_version, language, contact_channel, severity, status, opened_at, updated_at, "
                      "next_due_at, version) FROM STDIN") as copy:
            for i in range(1, n + 1):
                opened = BASE + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
                status = rng.choices(STATUSES, WEIGHTS)[0]
                due = opened + timedelta(minutes=rng.randrange(30, 60 * 24 * 14)) if status in OPEN_STATUSES else None
                copy.write_row((i, f"INC-2026-{i:06d}", f"UREP{i % 5000:05d}", "acme",
                                None if status == "opened" else rng.choice(AGENTS), f"ticket {i}", "…", "incident",
                                "5.2", "en", "email", rng.choice(["critical", "important", "low", "none"]),
                                status, opened, opened, due, 3))
        with cur.copy("COPY ticket_events (ticket_id, seq, actor_id, role, at, type, payload) FROM STDIN") as copy:
            for i in range(1, n + 1):
                at = BASE + timedelta(minutes=i % 10_000)
                copy.write_row((i, 1, "UREP", "reporter", at, "opened", json.dumps({"severity": "low"})))
                copy.write_row((i, 2, "UAGENT", "agent", at + timedelta(minutes=20), "acknowledged",
                                json.dumps({"channel": "phone"})))
                copy.write_row((i, 3, "UAGENT", "agent", at + timedelta(minutes=50), "update_posted",
                                json.dumps({"text": "news"})))
        cur.execute("SELECT setval(pg_get_serial_sequence('tickets', 'id'), %s)", (n,))
        cur.execute("ANALYZE")


def median_ms(fn, runs: int) -> float:
    fn()  # warm the cache and the plan
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with migrated_schema(args.url) as scratch:
        conninfo, schema, schema_url = scratch.conninfo, scratch.schema, scratch.url
        started = time.perf_counter()
        seed(conninfo, schema, args.tickets)
        print(f"seeded {args.tickets:,} tickets and {3 * args.tickets:,} events in "
              f"{time.perf_counter() - started:.1f} s")
        engine = make_engine(schema_url)
        uow = UnitOfWork(engine)
        tick = BASE + timedelta(days=3)  # a scheduler tick: what is due by then
        agent = AGENTS[7]

        def due_before() -> int:
            with uow:
                return len(uow.tickets.due_before(tick, limit=500, skip_locked=True))

        def agent_queue() -> int:
            with uow:
                return len(uow.tickets.open_queue(agent, limit=50))

        print(f"tickets due before T (limit 500, {due_before()} rows): median {median_ms(due_before, args.runs):.2f} ms"
              f" over {args.runs} runs")
        print(f"agent's open queue by next due (limit 50, {agent_queue()} rows): median "
              f"{median_ms(agent_queue, args.runs):.2f} ms over {args.runs} runs")
        open_list = ", ".join(f"'{s}'" for s in OPEN_STATUSES)
        with engine.connect() as conn:
            for title, sql in [
                ("due before T", f"SELECT * FROM tickets WHERE status IN ({open_list}) AND next_due_at <= "
                                 f"'{tick.isoformat()}' ORDER BY next_due_at, id LIMIT 500"),
                ("agent queue", f"SELECT * FROM tickets WHERE status IN ({open_list}) AND assignee_id = '{agent}' "
                                "ORDER BY next_due_at ASC NULLS LAST, id LIMIT 50"),
            ]:
                print(f"\nEXPLAIN (ANALYZE) — {title}")
                for (line,) in conn.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")):
                    print("  " + line)
        engine.dispose()


if __name__ == "__main__":
    main()
