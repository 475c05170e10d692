"""The report as one self-contained HTML page an SLA manager can put in front of a
customer: the commitments met per severity against their targets, how long callbacks and
resolutions took (each clock in its own calendar), what was missed and why, availability
and its error budget, planned maintenance. In English or French.

No script, no external resource; every value from the database is escaped (a ticket
title may well contain ``<script>``). Headings in order, tables with captions and header
cells, charts with a text alternative; red marks only what missed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from html import escape

from messages import DEFAULT_LANGUAGE
from sla_core.reports.model import MonthReport, Rate, SeverityFigures, Timing
from sla_core.reports.svg import Sample, ShareRow, histogram, share_chart
from sla_core.reports.text import (
    BREACH_COLUMNS, SUMMARY_COLUMNS, availability_phrases, explain_command, maintenance_phrase, rca_phrase,
    satisfaction_groups, SATISFACTION_COLUMNS, satisfaction_overall, summary_cells,
)
from sla_core.reports.words import BUSINESS, Words

CLOCKS = ("callback", "update", "resolution")


def e(text: str) -> str:
    """Text between tags: ``&``, ``<``, ``>`` escaped; quotes kept (``l'échéance``), as no
    value of ours goes into an attribute."""
    return escape(text, quote=False)
_STYLE = """body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#1a202c;
line-height:1.45}h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #e2e8f0;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}td,th{border:1px solid #cbd5e0;padding:.3rem .55rem;
text-align:left;vertical-align:top}th{background:#edf2f7}td.n{text-align:right}td.late,.ref,td.when{white-space:nowrap}td.why{min-width:14rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}.missed{color:#c53030;font-weight:bold}
.muted{color:#4a5568}figure{margin:1rem 0}.pair{display:flex;flex-wrap:wrap;gap:1rem}.pair figure{margin:0}
h3{margin:1.2rem 0 .3rem}svg{max-width:100%;height:auto}"""


def to_html(report: MonthReport, *, lang: str = DEFAULT_LANGUAGE) -> str:
    w = Words.of(report, lang)
    title = w("title", month=report.month)
    return f"""<!DOCTYPE html>
<html lang="{e(w.lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title><style>{_STYLE}</style></head><body>
<header><h1>{e(title)}</h1>
<p class="muted">{e(w("intro", month=report.month, as_of=w.when(report.generated_at), timezone=report.timezone))}</p>
</header><main>
{_compliance(w, report)}
{_distributions(w, report)}
{_breaches(w, report)}
{_availability(w, report)}
{_maintenance(w, report)}
{_satisfaction(w, report)}
{_rca(w, report)}
</main></body></html>
"""


def _compliance(w: Words, report: MonthReport) -> str:
    rows = []
    for s in (s for s in report.severities if s.opened):
        for k, rate in zip(CLOCKS, (s.callbacks, s.updates, s.resolutions)):
            label = w(f"target.{k}", amount=w.target(s.targets[k]))
            value = w.rate(rate) if rate.decided else ""
            rows.append(ShareRow(group=w.severity(s.severity), label=label, severity=s.severity.value, clock=k,
                                 share=None if rate.percent is None else rate.percent / 100, missed=rate.breached,
                                 value_text=value, title=w("labelled", label=f"{w.severity(s.severity)}, {label}",
                                                           value=value or w("not_measured"))))
    values = "; ".join(r.title for r in rows)
    chart = share_chart(rows, chart_id="compliance", title=w("compliance_chart_title"),
                        desc=f"{w('compliance_chart_desc')} {values}", axis=w("axis_share"),
                        ticks=[w.percent(f / 4) for f in range(5)], on_time=w("legend_met"),
                        missed=w("legend_missed"), empty=w("not_measured")) if rows else ""
    figure = (f'<figure id="compliance-chart">{chart}</figure>' if rows
              else f'<p>{e(w("no_tickets", month=report.month))}</p>')
    head = "".join(f'<th scope="col">{e(w(f"column.{c}"))}</th>' for c in SUMMARY_COLUMNS)
    body = "".join(_summary_row(w, s) for s in report.severities)
    return (f'<section><h2 id="compliance">{e(w("compliance_heading"))}</h2>'
            f"{figure}"
            f'<table id="summary"><caption>{e(w("compliance_heading"))}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></section>')


def _summary_row(w: Words, s: SeverityFigures) -> str:
    cells = summary_cells(w, s)
    rates: Sequence[Rate | None] = (None, None, s.callbacks, s.updates, s.resolutions, None, None)
    out = [f'<th scope="row">{e(cells[0])}</th>']
    for text, rate in zip(cells[1:], rates[1:]):
        missed = rate is not None and rate.breached > 0
        out.append(f'<td class="n{" missed" if missed else ""}">{e(text)}</td>')
    return f"<tr>{''.join(out)}</tr>"


def _distributions(w: Words, report: MonthReport) -> str:
    blocks = []
    for s in report.severities:
        if not s.opened:
            continue
        figures = "".join(
            f'<figure id="{s.severity.value}-{clock}-histogram">'
            f'{_histogram(w, s, clock, timings, calendar)}</figure>'
            for clock, timings, calendar in (("callback", s.callback_timings, s.targets["callback"].calendar),
                                             ("resolution", s.resolution_timings, s.targets["resolution"].calendar)))
        blocks.append(f'<h3>{e(w.severity(s.severity))}</h3><div class="pair">{figures}</div>')
    absent = [w("no_ticket", severity=w.severity(s.severity)) for s in report.severities if not s.opened]
    return (f'<section><h2 id="distributions">{e(w("distributions_heading"))}</h2>'
            f'<p>{e(w("distributions_intro"))}</p>{"".join(blocks)}'
            + "".join(f'<p class="muted">{e(line)}.</p>' for line in absent) + "</section>")


def _histogram(w: Words, s: SeverityFigures, clock: str, timings: Sequence[Timing], calendar: str) -> str:
    """In hours past three hours (business or not), else minutes: each clock in its own
    calendar, so 24/7 and business minutes are never on one axis."""
    target = s.targets[clock]
    longest = max([t.elapsed for t in timings] + [target.amount])
    in_hours = longest > timedelta(hours=3)
    unit = 3600 if in_hours else 60
    unit_key = f"unit.{'hours' if in_hours else 'minutes'}_{'business' if calendar == BUSINESS else '24_7'}"
    late = sum(not t.met for t in timings)
    return histogram(
        [Sample(value=t.elapsed.total_seconds() / unit, on_time=t.met) for t in timings],
        chart_id=f"{s.severity.value}-{clock}", title=w(f"hist_title.{clock}", severity=w.severity(s.severity)),
        desc=w("hist_desc", count=len(timings), met=len(timings) - late, late=late, target=w.target(target)),
        axis=w(unit_key), counts_axis=w("axis_tickets"), target=target.amount.total_seconds() / unit,
        target_text=w("target_line", amount=w.target(target)),
        number=lambda v: w.number(v, 0 if v == int(v) else 1), empty=w("hist_empty"),
        labelled=lambda label, value: w("labelled", label=label, value=value))


def _breaches(w: Words, report: MonthReport) -> str:
    if not report.breaches:
        return f'<section><h2 id="breaches">{e(w("breaches_heading"))}</h2><p>{e(w("no_breach"))}</p></section>'
    head = "".join(f'<th scope="col">{e(w(f"column.{c}"))}</th>' for c in BREACH_COLUMNS)
    rows = "".join(
        f'<tr><td><span class="ref">{e(b.ref)}</span><br>{e(b.title)}</td>'
        f"<td>{e(w.severity(b.severity))}</td><td>{e(w.clock(b))}</td>"
        f'<td class="when">{e(w.when(b.due))}</td><td class="when">{e(w.when(b.stopped_at))}</td>'
        f'<td class="n missed late">{e(w.duration(b.late_by, b.calendar))}</td>'
        f"<td class=\"why\">{'<br>'.join(e(w.reason(r)) for r in b.reasons) or '—'}</td>"
        f'<td class="explain"><code>{e(explain_command(b.ref, w.lang))}</code></td></tr>'
        for b in report.breaches)
    return (f'<section><h2 id="breaches">{e(w("breaches_heading"))}</h2>'
            f'<p>{e(w("breaches_count", count=len(report.breaches)))}</p><p>{e(w("explain_hint"))}</p>'
            f'<table id="breaches-table"><caption>{e(w("breaches_heading"))}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


def _availability(w: Words, report: MonthReport) -> str:
    a = availability_phrases(w, report)
    worst = ' class="missed"' if not report.availability_worst.met else ""
    budget = ' class="missed"' if report.availability_end.budget_left < timedelta(0) else ""
    items = [
        f'<li id="availability-worst">{e(a["worst"])} '
        f'<span{worst}>{e(a["verdict"])}</span>. {e(a["window"])}</li>',
        f'<li id="error-budget">{e(a["budget"])} <span{budget}>'
        f'{e(a["budget_state"])}</span>.</li>',
        f"<li>{e(a['excluded'])}</li>",
    ]
    columns = ("outage", "service", "cause", "from", "to", "ticket")
    head = "".join(f'<th scope="col">{e(w(f"column.{c}"))}</th>' for c in columns)
    rows = "".join(
        f"<tr><td>#{o.id}</td><td>{e(o.service)}</td><td>{e(w.cause(o.cause.value))}</td>"
        f"<td>{e(w.when(o.started_at))}</td><td>{e(w.when(o.ended_at))}</td>"
        f'<td class="ref">{e(o.ticket_ref or "—")}</td></tr>'
        for o in report.outages)
    table = (f'<table id="outages"><caption>{e(w("outages_caption"))}</caption><thead><tr>{head}</tr></thead>'
             f"<tbody>{rows}</tbody></table>" if rows else f'<p>{e(w("no_outage"))}</p>')
    return (f'<section><h2 id="availability">{e(w("availability_heading"))}</h2><ul>{"".join(items)}</ul>'
            f"{table}</section>")


def _maintenance(w: Words, report: MonthReport) -> str:
    used, over = maintenance_phrase(w, report)
    columns = ("window", "service", "from", "to", "critical_fixes", "status")
    head = "".join(f'<th scope="col">{e(w(f"column.{c}"))}</th>' for c in columns)
    rows = "".join(
        f"<tr><td>#{m.id}</td><td>{e(m.service)}</td><td>{e(w.when(m.starts_at))}</td><td>{e(w.when(m.ends_at))}</td>"
        f"<td>{e(w('answer_yes' if m.critical_fixes else 'answer_no'))}</td>"
        f"<td>{e(w('status_planned' if m.active else 'status_cancelled'))}</td></tr>" for m in report.maintenance)
    table = (f'<table id="maintenance"><caption>{e(w("maintenance_heading"))}</caption><thead><tr>{head}</tr>'
             f"</thead><tbody>{rows}</tbody></table>" if rows else f'<p>{e(w("no_maintenance"))}</p>')
    return (f'<section><h2 id="planned-maintenance">{e(w("maintenance_heading"))}</h2>'
            f'<p id="maintenance-budget">{e(used)}' + (f' — <span class="missed">{e(over)}</span>' if over else "")
            + f".</p>{table}</section>")


def _satisfaction(w: Words, report: MonthReport) -> str:
    figures = report.satisfaction
    heading = f'<h2 id="satisfaction">{e(w("satisfaction_heading"))}</h2>'
    if figures is None or not figures.overall.answers:
        return f'<section>{heading}<p>{e(w("satisfaction_none"))}</p></section>'
    head = "".join(f'<th scope="col">{e(w(f"satisfaction_column.{c}"))}</th>' for c in SATISFACTION_COLUMNS)
    tables = "".join(
        f'<table class="satisfaction"><caption>{e(title)}</caption><thead><tr>{head}</tr></thead><tbody>'
        + "".join(f"<tr><td>{e(r[0])}</td>" + "".join(f'<td class="n">{e(c)}</td>' for c in r[1:]) + "</tr>"
                  for r in rows)
        + "</tbody></table>"
        for title, rows in satisfaction_groups(w, figures))
    return f'<section>{heading}<p id="satisfaction-overall">{e(satisfaction_overall(w, figures))}</p>{tables}</section>'


def _rca(w: Words, report: MonthReport) -> str:
    """Root-cause analyses due in the month (``sla_core.rca``): a line, when counted."""
    if report.rca is None:
        return ""
    late = ' class="missed"' if report.rca.late else ""
    return f'<section><h2 id="rca">{e(w("rca_heading"))}</h2><p{late}>{e(rca_phrase(w, report))}</p></section>'
