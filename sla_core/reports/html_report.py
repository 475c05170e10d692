"""The report as one self-contained HTML page: tables, and the two charts as inline SVG.
No script, no external resource; every value from the database is escaped (a ticket
title may well contain ``<script>``)."""

from __future__ import annotations

from html import escape

from sla_core.availability.budget import minutes
from sla_core.reports.model import MonthReport
from sla_core.reports.outcomes import duration_text
from sla_core.reports.svg import Bar, bar_chart, histogram
from sla_core.reports.text import availability_lines, rate_text, when

_STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#1a202c}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #cbd5e0;padding:.3rem .6rem;text-align:left}
th{background:#edf2f7}.missed{color:#c53030;font-weight:bold}figure{margin:1rem 0}"""


def to_html(report: MonthReport) -> str:
    e = escape
    bars = [Bar(group=s.severity.value, series=series, value=rate.percent,
                label=f"{s.severity.value} {series}: {rate_text(rate)}")
            for s in report.severities
            for series, rate in (("callback", s.callbacks), ("update", s.updates), ("resolution", s.resolutions))]
    rows = "".join(
        f"<tr><td>{e(s.severity.value)}</td><td>{s.opened}</td><td>{e(rate_text(s.callbacks))}</td>"
        f"<td>{e(rate_text(s.updates))}</td><td>{e(rate_text(s.resolutions))}</td>"
        f"<td>{e(duration_text(s.callback_median, s.callback_calendar))}</td>"
        f"<td>{e(duration_text(s.callback_p90, s.callback_calendar))}</td>"
        f"<td>{e(duration_text(s.resolution_median, s.resolution_calendar))}</td>"
        f"<td>{e(duration_text(s.resolution_p90, s.resolution_calendar))}</td></tr>"
        for s in report.severities)
    breaches = "".join(
        f"<tr><td>{e(b.ref)}</td><td>{e(b.title)}</td><td>{e(b.severity.value)}</td><td>{e(b.clock)}</td>"
        f"<td>{e(when(report, b.due))}</td><td>{e(when(report, b.stopped_at))}</td>"
        f"<td>{e(duration_text(b.late_by, b.calendar))}</td><td>{'<br>'.join(e(r) for r in b.reasons) or '—'}</td></tr>"
        for b in report.breaches) or '<tr><td colspan="8">No breach.</td></tr>'
    availability = "".join(f"<li>{e(line[2:]).replace('**', '')}</li>" for line in availability_lines(report))
    outages = "".join(
        f"<tr><td>#{o.id}</td><td>{e(o.service)}</td><td>{e(o.cause.value)}</td><td>{e(when(report, o.started_at))}</td>"
        f"<td>{e(when(report, o.ended_at))}</td><td>{e(o.ticket_ref or '—')}</td></tr>" for o in report.outages)
    windows = "".join(
        f"<tr><td>#{m.id}</td><td>{e(m.service)}</td><td>{e(when(report, m.starts_at))}</td>"
        f"<td>{e(when(report, m.ends_at))}</td><td>{'yes' if m.critical_fixes else 'no'}</td>"
        f"<td>{'planned' if m.active else 'cancelled'}</td></tr>" for m in report.maintenance)
    title = f"SLA report {report.month.label}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{e(title)}</title><style>{_STYLE}</style></head><body>
<h1>{e(title)}</h1>
<p>Tickets opened in {e(report.month.label)} ({e(report.timezone)}), outcomes as of {e(when(report, report.generated_at))}.</p>
<h2>Compliance per severity</h2>
<figure id="compliance-chart">{bar_chart(bars, title="Share on time per severity (%)")}</figure>
<table id="summary"><thead><tr><th>severity</th><th>opened</th><th>callbacks on time</th><th>updates on time</th>
<th>resolutions on time</th><th>callback median</th><th>callback p90</th><th>resolution median</th>
<th>resolution p90</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Time to callback</h2>
<figure id="callback-histogram">{histogram(report.callback_times, title="Time to callback (minutes, clock's calendar)")}</figure>
<h2>Breaches ({len(report.breaches)})</h2>
<table id="breaches"><thead><tr><th>ticket</th><th>title</th><th>severity</th><th>clock</th><th>due</th><th>stopped</th>
<th>late by</th><th>reasons</th></tr></thead><tbody>{breaches}</tbody></table>
<h2>Availability and maintenance</h2>
<ul{' class="missed"' if not report.availability_worst.met else ''}>{availability}</ul>
<table id="outages"><thead><tr><th>interruption</th><th>service</th><th>cause</th><th>from</th><th>to</th><th>ticket</th></tr></thead>
<tbody>{outages or '<tr><td colspan="6">No interruption.</td></tr>'}</tbody></table>
<p>Planned maintenance: {e(minutes(report.maintenance_budget.used))} of {e(minutes(report.maintenance_budget.budget))}.</p>
<table id="maintenance"><thead><tr><th>window</th><th>service</th><th>from</th><th>to</th><th>critical fixes</th><th>status</th></tr></thead>
<tbody>{windows or '<tr><td colspan="6">No planned maintenance.</td></tr>'}</tbody></table>
</body></html>
"""
