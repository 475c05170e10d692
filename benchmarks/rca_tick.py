"""The scheduler's RCA pass (``sla_core.scheduler.rca_due``) with many RCAs owed: how long
one pass takes when N resolved Critical tickets are past their RCA due (the worst case:
every one late, every escalation key offered to the outbox again).

    PYTHONPATH=. python benchmarks/rca_tick.py [N]      # default 300, on a SQLite file
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sla_core.config import load_config
from sla_core.persistence.engine import make_engine
from sla_core.persistence.migrate import upgrade_database
from sla_core.persistence.uow import UnitOfWork
from sla_core.scheduler.rca_due import run_rca_tick
from sla_core.tickets import support_from_mapping
from tests.rca.test_scheduler import DUE, resolved
from tests.tickets.conftest import SUPPORT_RAW


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+pysqlite:///{Path(folder) / 'rca.sqlite3'}"
        upgrade_database(url)
        config, support, engine = load_config(), support_from_mapping(SUPPORT_RAW), make_engine(url)
        for _ in range(count):
            resolved(UnitOfWork(engine), config.policy, support, "critical")

        def one_pass() -> float:
            started = time.perf_counter()
            run_rca_tick(lambda: UnitOfWork(engine), policy=config.policy, settings=config.rca,
                         config=config.scheduling, now=DUE)
            return time.perf_counter() - started

        first = one_pass()
        again = [one_pass() for _ in range(7)]
        print(f"{count} RCAs late: first pass {first:.3f} s; later passes median {statistics.median(again):.3f} s")
        engine.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
