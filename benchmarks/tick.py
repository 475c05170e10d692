"""Scheduler tick benchmark on PostgreSQL: one ``run_tick`` pass over 1,000 due tickets
among 10,000 / 100,000 / 1,000,000 open ones.

    .venv/bin/python benchmarks/tick.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                        [--sizes 10000,100000,1000000] [--due 1000] [--runs 3]

Creates a dedicated schema (migrated with Alembic), seeds open tickets and their
``opened`` event with COPY (growing the same tables from one size to the next), and
times one pass (median of ``--runs``; before each run the due tickets' ``next_due_at`` is
put back and the outbox emptied). The due tickets are Low tickets opened weeks earlier,
so each pass decides real notices (callback and resolution breaches). The cost should
follow the number due, not the number open: the last line prints time(largest) /
time(smallest). Drops the schema at the end."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scratch_schema import migrated_schema  # noqa: E402
from sla_core.outbox.ticket_notices import write_notices  # noqa: E402
from sla_core.persistence.engine import make_engine  # noqa: E402
from sla_core.persistence.uow import UnitOfWork  # noqa: E402
from sla_core.config import load_config  # noqa: E402
from sla_core.scheduler.tick import run_tick  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
T = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # a Monday in business hours


def seed(conninfo: str, schema: str, first: int, last: int, due: int) -> None:
    """Tickets ``first``..``last`` (ids); ids 1..``due`` are due at T, the rest later."""
    with psycopg.connect(conninfo, options=f"-csearch_path={schema}") as conn, conn.cursor() as cur:
        if first == 1:
            cur.execute("INSERT INTO customer_accounts (id, name, active) VALUES ('acme', 'ACME', true)")
        with cur.copy("COPY tickets (id, ref, reporter_id, account_id, title, description, category, "
                      "product_version, language, contact_channel, severity, status, opened_at, updated_at, "
                      "next_due_at, version) FROM STDIN") as copy:
            for i in range(first, last + 1):
                if i <= due:
                    opened = T - timedelta(days=14, minutes=i % 600)
                    next_due = T - timedelta(seconds=1)
                else:
                    opened = T - timedelta(minutes=i % 20_000)
                    next_due = T + timedelta(hours=1, minutes=i % 40_000)
                copy.write_row((i, f"INC-2026-{i:07d}", f"UREP{i % 5000:05d}", "acme", f"ticket {i}", "…",
                                "incident", "5.2", "en", "email", "low", "opened", opened, opened, next_due, 1))
        opened_low = json.dumps({"severity": "low", "title": "t", "category": "incident", "product_version": "5.2"})
        with cur.copy("COPY ticket_events (ticket_id, seq, actor_id, role, at, type, payload) FROM STDIN") as copy:
            for i in range(first, last + 1):
                at = T - timedelta(days=14, minutes=i % 600) if i <= due else T - timedelta(minutes=i % 20_000)
                copy.write_row((i, 1, f"UREP{i % 5000:05d}", "reporter", at, "opened", opened_low))
        cur.execute("SELECT setval(pg_get_serial_sequence('tickets', 'id'), %s)", (last,))
        cur.execute("ANALYZE tickets")
        cur.execute("ANALYZE ticket_events")


def reset(conninfo: str, schema: str, due: int) -> None:
    with psycopg.connect(conninfo, options=f"-csearch_path={schema}") as conn:
        conn.execute("UPDATE tickets SET next_due_at = %s WHERE id <= %s", (T - timedelta(seconds=1), due))
        conn.execute("DELETE FROM outbox")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    app_config = load_config(ROOT / "app.yaml")
    policy, config = app_config.policy, app_config.scheduling
    results: dict[int, float] = {}
    with migrated_schema(args.url, "astreinte_tickbench") as scratch:
        conninfo, schema, schema_url = scratch.conninfo, scratch.schema, scratch.url
        engine = make_engine(schema_url)
        seeded = 0
        for size in sizes:
            started = time.perf_counter()
            seed(conninfo, schema, seeded + 1, size, args.due)
            print(f"seeded tickets {seeded + 1:,}..{size:,} (+ their opened events) in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            seeded = size
            samples = []
            for _ in range(args.runs):
                reset(conninfo, schema, args.due)
                report = run_tick(lambda: UnitOfWork(engine, before_commit=[write_notices]), policy=policy,
                                  config=config, now=T)
                assert report.tickets == args.due, report
                samples.append(report.seconds)
            results[size] = statistics.median(samples)
            print(f"{size:>9,} open, {args.due:,} due: one pass {results[size] * 1000:,.0f} ms median of "
                  f"{args.runs} ({report.decided} notices decided, "
                  f"{args.due / results[size]:,.0f} tickets planned/s)", flush=True)
        engine.dispose()
    small, large = min(results), max(results)
    print(f"SUMMARY tick over {args.due:,} due: " + ", ".join(f"{n:,} open {s * 1000:,.0f} ms"
                                                              for n, s in results.items())
          + f"; time({large:,})/time({small:,}) = {results[large] / results[small]:.2f}")


if __name__ == "__main__":
    main()
