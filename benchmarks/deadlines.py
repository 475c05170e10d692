"""Deadlines benchmark: our ``BusinessCalendar.add`` against pandas and businesstimedelta.

The same random (start, business duration) cases go through

1. our engine — ``load_config().policy.business_calendar.add(start, duration)``;
2. pandas ``CustomBusinessHour(start="09:00", end="18:00", holidays=<FR 2025–2029>)``,
   applied to naive local wall times (pandas offsets are tz-naive);
3. ``businesstimedelta`` — ``WorkDayRule`` 09–18 Mon–Fri + ``HolidayRule`` with the same
   French holidays, localised with ``pytz`` Europe/Paris as that library expects.

Agreement is checked on business time elapsed, not on the instant (pandas moves a result
that lands exactly at 18:00 to the next opening): a peer agrees on a case when our
``cal.between(start, peer_result) == duration``. Then each is timed (best of 3 passes of
``time.perf_counter``) and the last line is ``vs_pandas=<x> vs_businesstimedelta=<y>``
(our ops/s divided by the peer's).

pandas ``CustomBusinessHour`` only takes a whole number of hours. A duration of
``h`` hours and ``r`` minutes (0 < r < 60) is applied as: roll the start forward to an
opening instant ``t0`` (``offset.rollforward``); if ``t0`` is at least ``60 - r`` minutes
after 09:00, step back ``60 - r`` minutes inside the same window and add ``h + 1`` business
hours, otherwise step ``r`` minutes forward inside the window and add ``h`` business hours.
Both inner steps stay inside one opening window, so all day/hour stepping is pandas' own;
whole-hour durations are a plain ``ts + CustomBusinessHour(n=h)``.

Run: ``.venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/deadlines.py``
"""

from __future__ import annotations

import argparse
import random
import sys
import time as _time
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sla_core.config import load_config  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
OPENS, CLOSES = time(9), time(18)
HOLIDAY_YEARS = range(2025, 2030)
MAX_PEER_PASS_S = 60.0  # a peer whose full pass is slower is timed on the first N cases
PEER_SUBSET_TARGET_S = 20.0  # … N chosen so that one timed pass takes about this long
REPEAT = 3
MAX_MINUTES = 28 * 9 * 60  # 28 business days


# ---- cases ------------------------------------------------------------------------------
def make_cases(n: int, seed: int) -> list[tuple[datetime, timedelta]]:
    """``n`` (aware Europe/Paris start, business duration) pairs, reproducible from ``seed``.

    Starts: 85 % uniform instants (to the second) over 2026–2027 — nights, weekends,
    holidays and the DST changes included; 15 % snapped to a local boundary (00:00, 08:59,
    09:00, 12:00, 17:59, 18:00) of a random day. Durations: 40 % whole hours (1 h … 252 h),
    10 % whole business days (1 … 28 × 9 h), 50 % any minute count (1 min … 28 × 9 h).
    """
    rng = random.Random(seed)
    lo = datetime(2026, 1, 1, tzinfo=PARIS).timestamp()
    hi = datetime(2028, 1, 1, tzinfo=PARIS).timestamp()
    first_day, n_days = date(2026, 1, 1), (date(2028, 1, 1) - date(2026, 1, 1)).days
    boundaries = (time(0), time(8, 59), time(9), time(12), time(17, 59), time(18))
    cases = []
    for _ in range(n):
        if rng.random() < 0.85:
            start = datetime.fromtimestamp(rng.randrange(int(lo), int(hi)), UTC).astimezone(PARIS)
        else:
            day = first_day + timedelta(days=rng.randrange(n_days))
            start = datetime.combine(day, rng.choice(boundaries), tzinfo=PARIS)
        kind = rng.random()
        if kind < 0.40:
            minutes = 60 * rng.randint(1, MAX_MINUTES // 60)
        elif kind < 0.50:
            minutes = 9 * 60 * rng.randint(1, 28)
        else:
            minutes = rng.randint(1, MAX_MINUTES)
        cases.append((start, timedelta(minutes=minutes)))
    return cases


def french_holidays() -> list[date]:
    import holidays

    return sorted(holidays.country_holidays("FR", years=HOLIDAY_YEARS))


# ---- the three implementations ----------------------------------------------------------
# Each ``prepare_*`` converts the cases to the peer's own input types (not timed) and returns
# ``run(i) -> result`` for case ``i`` plus ``to_aware(result)`` (not timed either) that turns
# the peer's result back into an aware datetime for the agreement check.


def prepare_ours(cases):
    cal = load_config().policy.business_calendar
    add = cal.add
    starts = [s for s, _ in cases]
    durations = [d for _, d in cases]

    def run(i: int) -> datetime:
        return add(starts[i], durations[i])

    return run, lambda r: r, cal


def prepare_pandas(cases, hols):
    import pandas as pd
    from pandas.tseries.offsets import CustomBusinessHour

    def cbh(n: int) -> CustomBusinessHour:
        return CustomBusinessHour(n=n, start="09:00", end="18:00", holidays=hols)

    # Offsets are built once per distinct hour count (building one costs ~0.5 ms, far more
    # than applying it), as a careful user would.
    offsets: dict[int, CustomBusinessHour] = {}
    rollforward = cbh(1).rollforward
    opens = pd.Timedelta(hours=OPENS.hour)
    plan = []  # (naive start Timestamp, r minutes as Timedelta, back Timedelta, off_h, off_h1)
    for start, duration in cases:
        minutes = duration // timedelta(minutes=1)
        h, r = divmod(minutes, 60)
        for k in (h, h + 1):
            if k not in offsets:
                offsets[k] = cbh(k)
        ts = pd.Timestamp(start.replace(tzinfo=None))
        plan.append((ts, r, pd.Timedelta(minutes=r), pd.Timedelta(minutes=60 - r),
                     offsets[h], offsets[h + 1]))

    def run(i: int):
        ts, r, fwd, back, off_h, off_h1 = plan[i]
        if not r:
            return ts + off_h
        t0 = rollforward(ts)
        if t0 - t0.normalize() - opens >= back:  # room to step back inside this window
            return (t0 - back) + off_h1
        return (t0 + fwd) + off_h

    def to_aware(result) -> datetime:
        return result.to_pydatetime().replace(tzinfo=PARIS)

    return run, to_aware


def prepare_businesstimedelta(cases, hols):
    import businesstimedelta
    import pytz

    tz = pytz.timezone("Europe/Paris")
    workday = businesstimedelta.WorkDayRule(
        start_time=OPENS, end_time=CLOSES, working_days=[0, 1, 2, 3, 4], tz=tz
    )
    holiday = businesstimedelta.HolidayRule(frozenset(hols), tz=tz)
    rule = businesstimedelta.Rules([workday, holiday])
    plan = []
    for start, duration in cases:
        naive = start.replace(tzinfo=None)
        # fold=0 is the first (summer-time) occurrence of an ambiguous wall time.
        aware = tz.localize(naive, is_dst=(start.fold == 0))
        # (compare timestamps: PEP 495 makes inter-zone == false for ambiguous wall times)
        assert aware.timestamp() == start.timestamp(), (aware, start)
        plan.append((aware, businesstimedelta.BusinessTimeDelta(rule, timedelta=duration)))

    def run(i: int):
        aware, delta = plan[i]
        return aware + delta

    return run, lambda r: r


# ---- agreement and timing ---------------------------------------------------------------
def results_of(run, n: int) -> tuple[list, float]:
    t = _time.perf_counter()
    out = [run(i) for i in range(n)]
    return out, _time.perf_counter() - t


def best_of(run, n: int, repeat: int = REPEAT) -> float:
    """Best wall time of ``repeat`` passes over cases ``0 … n-1``."""
    best = float("inf")
    rng = range(n)
    for _ in range(repeat):
        t = _time.perf_counter()
        for i in rng:
            run(i)
        best = min(best, _time.perf_counter() - t)
    return best


def fmt_local(instant: datetime) -> str:
    local = instant.astimezone(PARIS)
    return local.strftime("%a %Y-%m-%d %H:%M:%S%z")


def fmt_duration(d: timedelta) -> str:
    minutes = d // timedelta(minutes=1)
    return f"{minutes // 60}h{minutes % 60:02d}"


def check(name, cases, ours, theirs, to_aware, cal, show: int) -> int:
    bad = []
    exact_instant = 0
    for i, ((start, duration), mine, peer) in enumerate(zip(cases, ours, theirs)):
        peer_aware = to_aware(peer)
        elapsed = cal.between(start, peer_aware)
        if elapsed != duration:
            bad.append((i, start, duration, mine, peer_aware, elapsed))
        elif peer_aware == mine:
            exact_instant += 1
    moved = len(cases) - len(bad) - exact_instant
    print(f"{name}: {len(bad)} disagreement(s) in {len(cases)} cases "
          f"({exact_instant} same instant, {moved} same business time at another instant)")
    for i, start, duration, mine, peer, elapsed in bad[:show]:
        print(f"  case {i}: start {fmt_local(start)} + {fmt_duration(duration)}: ours "
              f"{fmt_local(mine)}, {name} {fmt_local(peer)} "
              f"(= {fmt_duration(elapsed)} business time, off by "
              f"{(elapsed - duration) // timedelta(minutes=1):+d} min)")
    return len(bad)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="number of random cases")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed")
    parser.add_argument("--show", type=int, default=5, help="disagreeing cases to print per peer")
    args = parser.parse_args(argv)

    import businesstimedelta  # noqa: F401  (fail early when the bench extra is missing)
    import pandas

    cases = make_cases(args.cases, args.seed)
    n = len(cases)
    hols = french_holidays()
    print(f"{n} cases, seed {args.seed}; Python {sys.version.split()[0]}, "
          f"pandas {pandas.__version__}, businesstimedelta "
          f"{_version('businesstimedelta')}, holidays {_version('holidays')}")

    our_run, _, cal = prepare_ours(cases)
    ours, our_first = results_of(our_run, n)  # also builds the window table (lazy)
    peers = {
        "pandas": prepare_pandas(cases, hols),
        "businesstimedelta": prepare_businesstimedelta(cases, hols),
    }

    print("-- agreement (business time elapsed from start to the peer's deadline, by ours)")
    first_pass = {}
    for name, (run, to_aware) in peers.items():
        theirs, seconds = results_of(run, n)
        first_pass[name] = seconds
        check(name, cases, ours, theirs, to_aware, cal, args.show)

    print(f"-- timing (best of {REPEAT} passes, time.perf_counter)")
    our_all = best_of(our_run, n)
    our_ops = n / our_all
    print(f"ours: {our_ops:,.0f} ops/s ({our_all * 1e6 / n:.2f} µs/op, {n} cases)")
    ratios = {}
    for name, (run, _) in peers.items():
        m = n
        if first_pass[name] > MAX_PEER_PASS_S:
            m = max(1, int(n * PEER_SUBSET_TARGET_S / first_pass[name]))
        peer_ops = m / best_of(run, m)
        mine = our_ops if m == n else m / best_of(our_run, m)
        note = "" if m == n else (
            f" — full pass took {first_pass[name]:.0f} s > {MAX_PEER_PASS_S:.0f} s, "
            f"so timed on the first {m} cases (ours on the same: {mine:,.0f} ops/s)")
        ratios[name] = mine / peer_ops
        print(f"{name}: {peer_ops:,.0f} ops/s ({1e6 / peer_ops:.1f} µs/op, {m} cases){note}; "
              f"ours is {ratios[name]:.1f}x")
    print(f"vs_pandas={ratios['pandas']:.1f} "
          f"vs_businesstimedelta={ratios['businesstimedelta']:.1f}")


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    main()
