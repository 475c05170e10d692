"""Last month's summary: decided on the first business day of the month, once however many
replicas tick, recorded in ``monthly_summaries``; never for a month the desk holds no data
for (a server started mid-month); marked late when decided after that day."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import select

from sla_core.config import load_config
from sla_core.availability.model import Cause
from sla_core.availability.outages import record_outage
from sla_core.outbox.codec import decode_payload
from sla_core.outbox.model import MonthlySummary
from sla_core.outbox.models import OutboxRow
from sla_core.reports.models import MonthlySummaryRow
from sla_core.scheduler.periodic import post_monthly_summary, run_periodic
from sla_core.severity import Severity
from tests.conftest import REPO
from tests.scheduler.desk import AGENT, Desk, paris

CONFIG = load_config(REPO / "app.yaml").service_levels


def decide(desk: Desk, at: datetime) -> MonthlySummary | None:
    notice = post_monthly_summary(desk.uow, policy=desk.policy, config=CONFIG, now=at)
    if notice is None:
        return None
    assert isinstance(notice.payload, MonthlySummary)
    return notice.payload


def summaries(desk: Desk) -> list[tuple[str, bool, MonthlySummary]]:
    with desk.engine.connect() as conn:
        decided = {r.month: r.late for r in conn.execute(select(MonthlySummaryRow))}
        rows = list(conn.execute(select(OutboxRow).where(OutboxRow.kind == "monthly_summary")))
    out = []
    for row in rows:
        payload = decode_payload(row.kind, row.payload)
        assert isinstance(payload, MonthlySummary) and row.key == f"report:{payload.month}"
        out.append((payload.month, decided[payload.month], payload))
    assert len(decided) == len(out)  # each decision has its notice, in the same transaction
    return out


def test_the_summary_is_decided_once_on_the_first_business_day(desk: Desk) -> None:
    desk.open(Severity.LOW, paris("2026-10-20 10:00"))  # the desk has run since October
    assert decide(desk, paris("2026-12-01 08:59")) is None  # Tuesday 1 December, before the desk opens
    first = decide(desk, paris("2026-12-01 09:00:05"))
    assert first is not None and (first.month, first.late, first.due) == ("2026-11", False, paris("2026-12-01 09:00"))
    assert decide(desk, paris("2026-12-01 09:00:20")) is None  # the next tick, or another replica
    assert run_periodic(desk.uow, policy=desk.policy, config=CONFIG, now=paris("2026-12-02 09:00")) == 0
    assert [(m, late) for m, late, _ in summaries(desk)] == [("2026-11", False)]


def test_a_server_started_mid_month_posts_no_summary_for_the_month_before(desk: Desk) -> None:
    desk.open(Severity.LOW, paris("2026-12-15 10:00"))  # first data: mid-December
    assert decide(desk, paris("2026-12-15 10:00:05")) is None  # November: nothing recorded then
    assert decide(desk, paris("2026-12-31 17:00")) is None
    december = decide(desk, paris("2027-01-04 09:00:05"))  # 1 January is a holiday, then the weekend
    assert december is not None and (december.month, december.late) == ("2026-12", False)


def test_an_outage_recorded_before_the_month_end_counts_as_data(desk: Desk) -> None:
    record_outage(desk.uow(), support=desk.support, actor_id=AGENT, service="api", cause=Cause.VENDOR,
                  started_at=paris("2026-11-28 10:00"), ended_at=paris("2026-11-28 10:30"), ticket_ref=None,
                  note="", now=paris("2026-11-28 11:00"))
    november = decide(desk, paris("2026-12-01 09:00:05"))
    assert november is not None and november.month == "2026-11"


def test_a_summary_decided_after_its_day_says_it_is_late(desk: Desk) -> None:
    desk.open(Severity.LOW, paris("2026-11-02 10:00"))
    late = decide(desk, paris("2026-12-03 10:00"))  # the bot was down on Tuesday 1st and Wednesday 2nd
    assert late is not None and (late.month, late.late, late.due) == ("2026-11", True, paris("2026-12-01 09:00"))
    assert [(m, was_late) for m, was_late, _ in summaries(desk)] == [("2026-11", True)]


@pytest.mark.postgres
def test_replicas_ticking_together_decide_the_summary_once(desk: Desk) -> None:
    if desk.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: replicas are a PostgreSQL matter")
    desk.open(Severity.LOW, paris("2026-10-20 10:00"))
    start = threading.Barrier(4)
    decided: list[MonthlySummary | None] = []

    def replica() -> None:
        start.wait()
        decided.append(decide(desk, paris("2026-12-01 09:00:05")))

    threads = [threading.Thread(target=replica) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(d is not None for d in decided) == 1 and len(decided) == 4
    assert [m for m, _, _ in summaries(desk)] == ["2026-11"]
