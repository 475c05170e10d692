"""How long stripping personal data from a bug report's longest text takes.

    python benchmarks/scrub.py

A 3,000-character ticket description (the longest a ticket holds) with phone numbers,
e-mail addresses, versions and timestamps, scrubbed 50 times after one warm-up run."""

from __future__ import annotations

import statistics
import time

from sla_core.bugs.scrub import scrub

TEXT = ("Since 5.2.3 the export at 2026-12-01 10:00:03 fails with HTTP 500 (id=42); call Jean on "
        "06 12 34 56 78 or jean.dupont@acme.fr. " * 30)[:3000]


def main() -> None:
    scrub(TEXT)
    runs = []
    for _ in range(50):
        started = time.perf_counter()
        scrub(TEXT, known=["+33 6 12 34 56 78"])
        runs.append(time.perf_counter() - started)
    print(f"scrub, 3000 characters: median {statistics.median(runs) * 1000:.1f} ms, "
          f"max {max(runs) * 1000:.1f} ms (50 runs)")


if __name__ == "__main__":
    main()
