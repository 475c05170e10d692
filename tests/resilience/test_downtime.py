"""Nothing runs for a weekend; then one ``astreinte tick --now …`` posts what fell due
meanwhile: once per stream, marked late, never a burst of every missed repetition; a
second replica's tick at the same instant posts nothing more."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.offline.clock import SettableClock
from tests.doubles.faulty_slack import FaultySlack
from sla_core.persistence.migrate import upgrade_database
from tests.resilience.conftest import (
    REPO, assert_exactly_once, bot_environ, keys_in_slack, make_ctx, open_ticket, posted_channels,
)
from tests.serve.conftest import astreinte

PARIS = ZoneInfo("Europe/Paris")
FRIDAY = datetime(2026, 11, 20, 19, 30, tzinfo=PARIS)  # out of hours: Critical pages on-call


def tick(env: dict[str, str], at: str) -> dict[str, object]:
    done = astreinte("tick", "--now", at, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def stream(key: str) -> str:
    """A key without its last instant: ``t1:callback:breach:<due>:121:dm:U0AGENT01:<instant>``
    → ``t1:callback:breach:<due>:121:dm:U0AGENT01``, the stream the notice belongs to."""
    return re.sub(r":\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", "", key)


def test_after_a_weekend_down_each_stream_is_posted_once_and_late(slack: FaultySlack, tmp_path: Path) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / 'astreinte.sqlite3'}"
    upgrade_database(url)
    ctx = make_ctx(url, slack, REPO / "app.yaml", SettableClock(FRIDAY))
    ref = open_ticket(ctx, severity="critical", opened_at=FRIDAY, key="friday").ref
    env = bot_environ(tmp_path, url, slack, REPO / "app.yaml")

    tick(env, "2026-11-20T19:30:05+01:00")  # root, receipt, first page
    before = keys_in_slack(slack)
    assert len(before) >= 3
    # Down from Friday 19:30 to Monday 09:07: 61 h of missed pages, warnings, breaches.
    monday = tick(env, "2026-11-23T09:07:00+01:00")
    again = tick(env, "2026-11-23T09:07:00+01:00")  # a second replica's tick at the same instant

    after = keys_in_slack(slack)
    new = {k: n for k, n in after.items() if k not in before}
    assert again["queued"] == 0
    streams = Counter(stream(k) for k in new)
    assert new and set(streams.values()) == {1}, streams  # one notice per stream: no burst
    assert len(new) <= 8, new  # 61 hours of 15-minute pages would be ~245 on their own
    texts = {m.metadata["event_payload"]["key"]: m.text for c in posted_channels(slack) for m in slack.messages(c)
             if m.metadata}
    assert all("retard" in texts[k] or "late" in texts[k] for k in new), {k: texts[k] for k in new}
    assert all(ref in texts[k] for k in new)
    assert_exactly_once(ctx, slack)
    print(f"\ndowntime: {len(before)} messages on Friday, {len(new)} after 61 h down "
          f"({sorted(streams)}), Monday tick {monday}")
    ctx.engine.dispose()
