"""Account import benchmark on PostgreSQL: a CRM export of 5,000 accounts and 50,000
people, imported into an empty directory, then imported again with 10 % of it changed.

    .venv/bin/python benchmarks/accounts_import.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                                   [--accounts 5000] [--people-per-account 10]

Writes the CSV file, then times ``astreinte accounts import`` 's own code path
(``sla_core.accounts.importing.import_accounts``: read and check the file, load what is
stored, plan, write with one ``executemany`` per kind of write, audit rows included,
commit) in a dedicated schema, dropped afterwards. The target: under 30 s."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch_schema import migrated_schema  # noqa: E402
from sla_core.accounts.importing import CSV_COLUMNS, import_accounts  # noqa: E402
from sla_core.persistence.engine import make_engine  # noqa: E402
from sla_core.persistence.uow import UnitOfWork  # noqa: E402

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ROLES = ("administrator", "account_holder", "end_user", "end_user", "end_user")


def write_export(path: Path, accounts: int, per_account: int, *, changed_every: int = 0) -> int:
    """One row per person; every ``changed_every``-th account renamed (0: none)."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(CSV_COLUMNS)
        for a in range(accounts):
            account = f"acct{a:05d}"
            renamed = changed_every and a % changed_every == 0
            name = f"Customer {a}" + (" (renamed)" if renamed else "")
            for p in range(per_account):
                first = p == 0
                by_mail = p % 2 == 1
                out.writerow([account, name if first else "", "yes" if first else "",
                              f"T{a:06d}X" if first else "", f"C{a:06d}S" if first else "",
                              f"it@customer{a}.example" if first else "", ROLES[p % len(ROLES)],
                              "" if by_mail else f"U{a:05d}P{p:03d}",
                              f"person{p}@customer{a}.example" if by_mail else "", ""])
                rows += 1
    return rows


def timed_import(url: str, path: Path) -> tuple[float, float, dict[str, int]]:
    """Wall seconds, this process's CPU seconds (the server's not included), the counts."""
    engine = make_engine(url)
    try:
        uow = UnitOfWork(engine)
        started, cpu = time.perf_counter(), time.process_time()
        with uow:
            result = import_accounts(uow.session, path, now=NOW, dry_run=False)
            assert result.plan is not None, result.problems[:5]
            uow.commit()
        return time.perf_counter() - started, time.process_time() - cpu, result.plan.counts()
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--people-per-account", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, migrated_schema(args.url, "astreinte_bench_accounts") as scratch:
        first = Path(tmp) / "crm.csv"
        rows = write_export(first, args.accounts, args.people_per_account)
        load = os.getloadavg()[0]
        seconds, cpu, counts = timed_import(scratch.url, first)
        print(f"first import: {args.accounts:,} accounts, {rows:,} people in {seconds:.2f} s "
              f"(client CPU {cpu:.2f} s)  {counts}")
        again = Path(tmp) / "crm-again.csv"
        write_export(again, args.accounts, args.people_per_account, changed_every=10)
        seconds, cpu, counts = timed_import(scratch.url, again)
        print(f"re-import, 10 % of accounts renamed: {seconds:.2f} s (client CPU {cpu:.2f} s)  {counts}")
        print(f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
