"""The month's report from tickets with known outcomes, in md, csv and html, on SQLite
and PostgreSQL; the HTML checked in headless Chromium."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import timedelta

import pytest

from sla_core.reports import Month, build_month_report, to_csv, to_html, to_markdown
from sla_core.severity import Severity
from tests.availability.month import AS_OF, SCRIPT_TITLE, build_month

NOVEMBER = Month(year=2026, month=11)


@pytest.fixture
def report(uow, policy, support, config):  # type: ignore[no-untyped-def]
    build_month(uow, policy, support, config)
    return build_month_report(uow, policy=policy, config=config, month=NOVEMBER, now=AS_OF)


def figures(report, severity):  # type: ignore[no-untyped-def]
    return next(s for s in report.severities if s.severity is severity)


def test_figures_per_severity_come_from_the_replayed_clocks(report):
    critical = figures(report, Severity.CRITICAL)
    assert critical.opened == 3  # A, B, C (D was downgraded, G opened in October)
    assert (critical.callbacks.met, critical.callbacks.breached) == (2, 1)
    assert f"{critical.callbacks.percent:.1f}" == "66.7"
    assert (critical.updates.met, critical.updates.breached) == (4, 1)
    assert (critical.resolutions.met, critical.resolutions.breached) == (3, 0)
    assert critical.callback_median == timedelta(minutes=45)
    assert critical.callback_p90 == timedelta(minutes=90)
    important = figures(report, Severity.IMPORTANT)
    assert (important.opened, important.callbacks.met, important.updates.breached, important.resolutions.breached) \
        == (1, 1, 1, 1)
    low = figures(report, Severity.LOW)
    assert (low.opened, low.callbacks.breached, low.callbacks.pending, low.resolutions.pending) == (2, 1, 1, 1)
    assert low.callback_median == timedelta(hours=27)  # business time: Mon 10:00 to Thu 10:00
    assert low.callback_calendar == "business"


def test_breaches_say_which_clock_by_how_much_and_why(report):
    # References in order of opening: G (October) is 000001, then A … F are 000002 … 000007.
    name = {"2": "A", "3": "B", "4": "C", "5": "D", "6": "E", "7": "F"}
    found = {(name[b.ref[-1]], b.clock): b for b in report.breaches}
    assert set(found) == {("B", "update #1"), ("C", "callback"), ("D", "update #1"), ("D", "resolution"),
                          ("E", "callback")}
    assert found[("B", "update #1")].late_by == timedelta(minutes=45)
    assert found[("C", "callback")].late_by == timedelta(minutes=30)
    assert "waiting on the customer 2026-11-04 12:00 – 2026-11-04 14:00 (logs please)" in found[("C", "callback")].reasons
    resolution = found[("D", "resolution")]
    assert (resolution.late_by, resolution.calendar) == (timedelta(hours=4), "business")
    assert resolution.reasons == ("severity critical → important at 2026-11-05 10:20: only one user affected",)
    assert found[("D", "update #1")].late_by == timedelta(days=4, hours=17)
    assert found[("E", "callback")].late_by == timedelta(hours=9)


def test_availability_and_maintenance_of_the_month(report):
    assert f"{report.availability_worst.ratio:.2%}" == "99.44%" and not report.availability_worst.met
    assert report.maintenance_budget.used == timedelta(hours=2)
    assert [o.cause.value for o in report.outages] == ["vendor"]


def test_markdown_shows_readable_tables(report):
    text = to_markdown(report)
    assert "| critical | 3 | 2/3 (66.7%) | 4/5 (80.0%) | 3/3 (100.0%) | 45 min | 1 h 30 min |" in text
    assert "| low | 2 | 0/1 (0.0%), 1 pending |" in text
    assert "## Breaches (5)" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; login broken" in text
    assert "**99.44%** (target 99.5%, MISSED)" in text
    assert "Planned maintenance: 2 h 00 min used of 3 h 00 min this month" in text


def test_csv_has_one_row_per_severity_then_the_breaches(report):
    summary, breaches = to_csv(report).split("\n\n")
    rows = list(csv.DictReader(io.StringIO(summary)))
    assert [r["severity"] for r in rows] == ["critical", "important", "low", "none"]
    assert (rows[0]["callbacks_met"], rows[0]["callbacks_breached"], rows[0]["callbacks_pct"]) == ("2", "1", "66.7")
    assert rows[0]["callback_median_min"] == "45.0" and rows[3]["callbacks_pct"] == ""
    listed = list(csv.DictReader(io.StringIO(breaches)))
    assert len(listed) == 5 and listed[0]["clock"] in ("callback", "update #1")
    assert {r["late_by_min"] for r in listed} >= {"45.0", "30.0", "240.0", "540.0"}
    alone = list(csv.DictReader(io.StringIO(to_csv(report, table="breaches"))))
    assert alone == listed


def test_html_escapes_titles_and_draws_the_charts(report):
    page = to_html(report)
    assert SCRIPT_TITLE not in page and "&lt;script&gt;alert(1)&lt;/script&gt; login broken" in page
    assert "<script" not in page  # no script at all, and nothing fetched from the network:
    assert not re.findall(r"(?:src|href)=", page) and "https://" not in page
    assert len(re.findall(r'<rect class="bar"', page)) == 9  # 3 clocks × (critical, important, low); none: n/a
    assert len(re.findall(r'<rect class="hist-bin"', page)) == 8


def test_the_html_report_renders_its_charts_in_headless_chromium(report, chromium, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(to_html(report), encoding="utf-8")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert dom.count("<svg") == 2
    assert len(re.findall(r'<rect class="bar"', dom)) == 9
    assert len(re.findall(r'<rect class="hist-bin"', dom)) == 8
    assert re.search(r'data-group="critical" data-series="callback" data-value="66\.7"', dom)
    assert "<script>" not in dom  # the title stayed text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; login broken" in dom
