"""Wall time of the ``astreinte`` commands that touch neither Slack nor the database, as
whole processes, against the interpreter's own start (``python -c pass``) and against the
imports they cannot avoid (the ``holidays`` package and one country's calendar).

    .venv/bin/python benchmarks/cli.py [--runs 30] [--python .venv/bin/python]

Each command runs ``--runs`` times, interleaved with the others so that a burst of load
on the machine hits them all alike; the table gives the minimum (the cost without
interference) and the median, and the minimum less ``python -c pass``. The target is
0.25 s per command (issue 12). ``--python`` picks the interpreter: the repository's
editable install pays ~20 ms more at start than a wheel (setuptools' finder for editable
installs is imported by ``site``), ``python -c pass`` included. The commands run with
bytecode written and read (``PYTHONDONTWRITEBYTECODE`` removed from their environment), as
an installed package has it: compiling our modules from source at every start would
otherwise cost more than the target itself on this machine."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPLAY = json.dumps({"severity": "critical", "opened_at": "2026-11-20T19:30", "now": "2026-11-23T10:00",
                     "events": [{"at": "2026-11-20T20:00", "type": "callback"}]})
COMMANDS: list[tuple[str, list[str], str]] = [
    ("python -c pass", ["-c", "pass"], ""),
    ("import holidays; FR calendar", ["-c", "import holidays; holidays.country_holidays('FR', years=2026)"], ""),
    ("astreinte --help", ["-m", "bot.cli", "--help"], ""),
    ("astreinte check-config", ["-m", "bot.cli", "check-config"], ""),
    ("astreinte sla deadlines", ["-m", "bot.cli", "sla", "deadlines", "--severity", "critical",
                                 "--opened", "2026-11-20T19:30"], ""),
    ("astreinte sla replay", ["-m", "bot.cli", "sla", "replay"], REPLAY),
]
TARGET = 0.25
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def once(python: str, argv: list[str], stdin: str) -> tuple[float, float]:
    """Wall time, and the child's CPU time (user + system): on a machine shared with other
    work the CPU time is what the wall time would be without the wait for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([python, *argv], input=stdin, cwd=ROOT, env=ENV, capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--python", default=sys.executable, help="the interpreter to time (default: this one)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name, _, _ in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in COMMANDS}
    load_before = os.getloadavg()[0]
    for name, argv, stdin in COMMANDS:  # warm the page cache and the bytecode once
        once(args.python, argv, stdin)
    for _ in range(args.runs):
        for name, argv, stdin in COMMANDS:
            wall, used = once(args.python, argv, stdin)
            times[name].append(wall)
            cpu[name].append(used)
    floor = min(times["python -c pass"])
    print(f"{args.runs} runs each, interleaved; seconds; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores\n")
    print("| command | wall min | wall median | wall min − `python -c pass` | CPU min | CPU median | ≤ 0.25 s |")
    print("|---|---:|---:|---:|---:|---:|:---:|")
    for name, _, _ in COMMANDS:
        best, median = min(times[name]), statistics.median(times[name])
        verdict = "" if not name.startswith("astreinte") else ("yes" if best <= TARGET else "no")
        print(f"| `{name}` | {best:.3f} | {median:.3f} | {best - floor:+.3f} | "
              f"{min(cpu[name]):.3f} | {statistics.median(cpu[name]):.3f} | {verdict} |")


if __name__ == "__main__":
    main()
