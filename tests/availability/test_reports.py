"""The month's report from tickets with known outcomes, in md, csv and html, in English and
French, on SQLite and PostgreSQL; the HTML checked in headless Chromium."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import subprocess
from datetime import timedelta
from xml.etree import ElementTree

import pytest

from sla_core.reports import Month, Reason, build_month_report, to_csv, to_html, to_markdown
from sla_core.severity import Severity
from tests.availability.conftest import paris
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
    found = {(name[b.ref[-1]], b.clock_id): b for b in report.breaches}
    assert set(found) == {("B", "update #1"), ("C", "callback"), ("D", "update #1"), ("D", "resolution"),
                          ("E", "callback")}
    assert found[("B", "update #1")].late_by == timedelta(minutes=45)
    assert found[("C", "callback")].late_by == timedelta(minutes=30)
    assert Reason(kind="waiting", at=paris(2026, 11, 4, 12, 0), until=paris(2026, 11, 4, 14, 0),
                  text="logs please") in found[("C", "callback")].reasons
    resolution = found[("D", "resolution")]
    assert (resolution.late_by, resolution.calendar) == (timedelta(hours=4), "business")
    assert resolution.reasons == (Reason(kind="severity_changed", at=paris(2026, 11, 5, 10, 20), before="critical",
                                         after="important", text="only one user affected"),)
    assert found[("D", "update #1")].late_by == timedelta(days=4, hours=17)
    assert found[("E", "callback")].late_by == timedelta(hours=9)


def test_availability_and_maintenance_of_the_month(report):
    assert f"{report.availability_worst.ratio:.2%}" == "99.44%" and not report.availability_worst.met
    assert report.maintenance_budget.used == timedelta(hours=2)
    assert [o.cause.value for o in report.outages] == ["vendor"]


def test_markdown_shows_readable_tables(report):
    text = to_markdown(report, lang="en")
    assert "| Critical | 3 | 2 of 3 (66.7%) | 4 of 5 (80%) | 3 of 3 (100%) | 45 min / 1 h 30 min |" in text
    assert "| Low | 2 | 0 of 1 (0%), 1 pending |" in text
    assert "- Critical: callback within 1 h, update every 1 h 30 min, resolution within 8 business hours" in text
    assert "5 commitments missed this month." in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; login broken" in text
    assert "99.44% available (target 99.5%) — **target missed**" in text
    assert "(3 h 36 min of downtime allowed): **exceeded by 24 min**." in text
    assert "2 h used of the 3 h allowed this month." in text


def test_markdown_in_french_writes_numbers_dates_and_plurals_as_french_does(report):
    text = plain_spaces(to_markdown(report, lang="fr"))
    assert text.startswith("# Rapport SLA — novembre 2026")
    assert "| Critique | 3 | 2 sur 3 (66,7 %) | 4 sur 5 (80 %) | 3 sur 3 (100 %) | 45 min / 1 h 30 min |" in text
    assert "| Bas | 2 | 27 h / 27 h ouvrées |" not in text and "| 27 h / 27 h ouvrées |" in text
    assert "5 engagements non tenus ce mois-ci." in text
    assert "| 4 nov. 11:00 | 4 nov. 11:30 | 30 min | en attente du client du 4 nov. 12:00 au 4 nov. 14:00" in text
    assert "99,44 % de disponibilité (objectif 99,5 %) — **objectif manqué**" in text
    assert "**dépassée de 24 min**" in text


def test_the_error_budget_is_worded_as_people_say_it(report):
    end = report.availability_end
    within = dataclasses.replace(report, availability_end=dataclasses.replace(end, downtime=timedelta(minutes=200)))
    assert "(3 h 36 min of downtime allowed): 16 min left." in to_markdown(within, lang="en")
    assert "permises) : il reste 16 min." in plain_spaces(to_markdown(within, lang="fr"))
    assert '<span class="missed">' not in section(to_html(within, lang="en"), "error-budget")
    assert '<span class="missed">exceeded by 24 min</span>' in section(to_html(report, lang="en"), "error-budget")


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


def test_csv_stays_machine_readable_in_french(report):
    english, french = to_csv(report, lang="en"), to_csv(report, lang="fr")
    summary_en, breaches_en = english.split("\n\n")
    summary_fr, breaches_fr = french.split("\n\n")
    assert summary_fr == summary_en  # dot decimals, identifiers: the same file whatever the language
    rows = list(csv.DictReader(io.StringIO(breaches_fr)))
    callback = next(r for r in rows if r["clock"] == "callback" and r["severity"] == "critical")
    assert (callback["due"], callback["late_by_min"]) == ("2026-11-04T11:00:00+01:00", "30.0")
    assert callback["reasons"] == "en attente du client du 4 nov. 12:00 au 4 nov. 14:00 (logs please)"


def test_html_escapes_titles_and_draws_the_charts(report):
    page = to_html(report, lang="en")
    assert SCRIPT_TITLE not in page and "&lt;script&gt;alert(1)&lt;/script&gt; login broken" in page
    assert "<script" not in page  # no script at all, and nothing fetched from the network:
    assert not re.findall(r"(?:src|href)=", page) and "https://" not in page
    assert len(re.findall(r'<g class="bar"', page)) == 9  # 3 clocks × (critical, important, low); none: no ticket
    charts = svgs(page)
    assert len(charts) == 1 + 2 * 3  # compliance, then callback and resolution of each severity with tickets
    for chart in charts:  # every chart has a text alternative that names it and says its values
        title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
        assert chart.get("role") == "img" and title is not None and desc is not None and desc.text
        assert chart.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    described = charts[0].find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert "Critical, callback within 1 h: 2 of 3 (66.7%)" in described


def test_every_bar_prints_its_value_and_a_zero_is_drawn_and_labelled(report):
    """A 0 % share used to be a bar of no height: nothing to see. Now it is a full red
    bar, its value printed beside it."""
    for lang, zero in (("en", "0 of 1 (0%)"), ("fr", "0 sur 1 (0 %)")):
        chart = svgs(to_html(report, lang=lang))[0]
        bars = chart.findall(f".//{SVG}g[@class='bar']")
        assert all(b.find(f"{SVG}text[@class='value']").text for b in bars)  # type: ignore[union-attr]
        bar = next(b for b in bars if (b.get("data-severity"), b.get("data-clock")) == ("important", "update"))
        assert bar.get("data-value") == "0.0"
        missed = bar.find(f"{SVG}rect[@class='missed']")
        assert missed is not None and float(missed.get("width")) > 100 and missed.get("fill") == "#c53030"
        assert plain_spaces(bar.find(f"{SVG}text[@class='value']").text) == zero  # type: ignore[arg-type, union-attr]
        ticks = [plain_spaces(t.text or "") for t in chart.findall(f".//{SVG}text[@class='tick-label']")]
        sign = "%" if lang == "en" else " %"
        assert ticks == [f"{n}{sign}" for n in (0, 25, 50, 75, 100)]


def test_red_marks_only_what_missed(report):
    chart = svgs(to_html(report, lang="en"))[0]
    red = {(b.get("data-severity"), b.get("data-clock")) for b in chart.findall(f".//{SVG}g[@class='bar']")
           if b.find(f"{SVG}rect[@class='missed']") is not None}
    assert red == {("critical", "callback"), ("critical", "update"), ("important", "update"),
                   ("important", "resolution"), ("low", "callback")}
    page = to_html(report, lang="en")
    marked = re.findall(r'class="[^"]*missed[^"]*">([^<]*)<', page)
    assert "3 of 3 (100%)" not in marked and "1 of 1 (100%), 1 pending" not in marked
    assert {"2 of 3 (66.7%)", "0 of 1 (0%)", "target missed", "exceeded by 24 min", "45 min"} <= set(marked)


def test_distributions_keep_each_clock_in_its_own_calendar(report):
    charts = {c.find(f"{SVG}title").text: c for c in svgs(to_html(report, lang="en"))[1:]}  # type: ignore[union-attr]
    units = {title: [t.text for t in chart.iter(f"{SVG}text")] for title, chart in charts.items()}
    assert "minutes (round the clock)" in units["Critical: time to callback"]
    assert "hours (round the clock)" in units["Important: time to callback"]
    for business in ("Critical: time to resolution", "Low: time to callback", "Low: time to resolution"):
        assert "business hours" in units[business] and not any("round the clock" in t for t in units[business])
    assert "target 2 business days" in units["Low: time to callback"]
    late = charts["Low: time to callback"].findall(f".//{SVG}rect[@class='late']")
    assert len(late) == 1  # E's callback, 27 business hours against 18


def test_planned_maintenance_is_shown_once(report):
    page = to_html(report, lang="en")
    assert page.count("2 h used of the 3 h allowed this month") == 1
    assert page.count('id="maintenance"') == 1 and page.count("Planned maintenance") == 1 + 1  # heading, caption
    assert "Planned maintenance" not in section(page, "availability")


def test_the_html_report_renders_its_charts_in_headless_chromium(report, chromium, tmp_path):
    for lang in ("en", "fr"):
        page = tmp_path / f"report-{lang}.html"
        page.write_text(to_html(report, lang=lang), encoding="utf-8")
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
             page.as_uri()], capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        dom = result.stdout
        assert f'<html lang="{lang}">' in dom and dom.count("<svg") == 7
        assert len(re.findall(r'<g class="bar"', dom)) == 9
        assert re.search(r'data-severity="critical" data-clock="callback" data-value="66\.7"', dom)
        zero = re.search(r'data-severity="important" data-clock="update" data-value="0\.0">.*?</g>', dom)
        assert zero and 'class="missed"' in zero.group(0)
        assert ("0 of 1 (0%)" if lang == "en" else "0 sur 1 (0&nbsp;%)") in zero.group(0)
        assert "<script>" not in dom  # the title stayed text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; login broken" in dom
        heading = "Commitments met per severity" if lang == "en" else "Engagements tenus par gravité"
        assert f'<h2 id="compliance">{heading}</h2>' in dom


SVG = "{http://www.w3.org/2000/svg}"


def svgs(page: str) -> list[ElementTree.Element]:
    return [ElementTree.fromstring(m) for m in re.findall(r"<svg .*?</svg>", page, flags=re.S)]


def section(page: str, anchor: str) -> str:
    """The HTML of the element with ``id=anchor`` up to the next section or list item."""
    start = page.index(f'id="{anchor}"')
    ends = [i for i in (page.find("</section>", start), page.find("</li>", start)) if i > 0]
    return page[start:min(ends)]


def plain_spaces(text: str) -> str:
    """French puts a no-break space before ``%`` and ``:``: compare with plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")
