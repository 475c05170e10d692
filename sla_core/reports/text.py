"""The report as Markdown (readable tables) and as CSV (one row per severity, then the
breaches; or one table alone)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sla_core.availability.budget import minutes
from sla_core.instants import format_instant
from sla_core.reports.model import Breach, MonthReport, Rate, SeverityFigures
from sla_core.reports.outcomes import duration_text
from zoneinfo import ZoneInfo

TABLES = ("all", "summary", "breaches")


def percent(r: Rate) -> str:
    return "—" if r.percent is None else f"{r.percent:.1f}%"


def rate_text(r: Rate) -> str:
    text = f"{r.met}/{r.decided} ({percent(r)})" if r.decided else "—"
    return text + (f", {r.pending} pending" if r.pending else "")


def when(report: MonthReport, instant: object) -> str:
    if instant is None:
        return "still running"
    return str(format_instant(instant, timezone=ZoneInfo(report.timezone)))[:16].replace("T", " ")  # type: ignore[arg-type]


def availability_lines(report: MonthReport) -> list[str]:
    worst, end = report.availability_worst, report.availability_end
    verdict = "met" if worst.met else "MISSED"
    return [
        f"- Availability, worst 30-day window ending in the month: **{worst.ratio:.2%}** "
        f"(target {worst.target:.1%}, {verdict}) — {when(report, worst.window_start)} to "
        f"{when(report, worst.window_end)}, {minutes(worst.downtime)} counted downtime",
        f"- Availability, 30 days to {when(report, end.window_end)}: {end.ratio:.2%}; error budget left "
        f"{minutes(end.budget_left)} of {minutes(end.budget)}",
        f"- Excluded interruptions in that window (customer, internet, planned): {minutes(end.excluded)}",
        f"- Planned maintenance: {minutes(report.maintenance_budget.used)} used of "
        f"{minutes(report.maintenance_budget.budget)} this month"
        + (" — OVER BUDGET" if report.maintenance_budget.used > report.maintenance_budget.budget else ""),
    ]


def to_markdown(report: MonthReport) -> str:
    out = [f"# SLA report {report.month.label}", "",
           f"Tickets opened in {report.month.label} ({report.timezone}), outcomes as of "
           f"{when(report, report.generated_at)}.", "", "## Compliance per severity", "",
           "| severity | opened | callbacks on time | updates on time | resolutions on time | callback median | "
           "callback p90 | resolution median | resolution p90 |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in report.severities:
        out.append(f"| {s.severity.value} | {s.opened} | {rate_text(s.callbacks)} | {rate_text(s.updates)} | "
                   f"{rate_text(s.resolutions)} | {duration_text(s.callback_median, s.callback_calendar)} | "
                   f"{duration_text(s.callback_p90, s.callback_calendar)} | "
                   f"{duration_text(s.resolution_median, s.resolution_calendar)} | "
                   f"{duration_text(s.resolution_p90, s.resolution_calendar)} |")
    out += ["", f"## Breaches ({len(report.breaches)})", ""]
    if report.breaches:
        out += ["| ticket | severity | clock | due | stopped | late by | reasons |", "|---|---|---|---|---|---:|---|"]
        for b in report.breaches:
            out.append(f"| {b.ref} {_md(b.title)} | {b.severity.value} | {b.clock} | {when(report, b.due)} | "
                       f"{when(report, b.stopped_at)} | {duration_text(b.late_by, b.calendar)} | "
                       f"{_md('; '.join(b.reasons)) or '—'} |")
    else:
        out.append("No breach.")
    out += ["", "## Availability and maintenance", "", *availability_lines(report), ""]
    if report.outages:
        out += ["| interruption | service | cause | from | to | ticket |", "|---|---|---|---|---|---|"]
        for o in report.outages:
            out.append(f"| #{o.id} | {_md(o.service)} | {o.cause.value} | {when(report, o.started_at)} | "
                       f"{when(report, o.ended_at)} | {o.ticket_ref or '—'} |")
        out.append("")
    if report.maintenance:
        out += ["| maintenance | service | from | to | critical fixes | status |", "|---|---|---|---|---|---|"]
        for m in report.maintenance:
            out.append(f"| #{m.id} | {_md(m.service)} | {when(report, m.starts_at)} | {when(report, m.ends_at)} | "
                       f"{'yes' if m.critical_fixes else 'no'} | {'cancelled' if not m.active else 'planned'} |")
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    # A pipe would split the table cell; markup in a title is shown, not interpreted.
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


SUMMARY_HEADER = ["severity", "opened", "callbacks_met", "callbacks_breached", "callbacks_pending", "callbacks_pct",
                  "updates_met", "updates_breached", "updates_pct", "resolutions_met", "resolutions_breached",
                  "resolutions_pending", "resolutions_pct", "callback_median_min", "callback_p90_min",
                  "callback_calendar", "resolution_median_min", "resolution_p90_min", "resolution_calendar"]
BREACH_HEADER = ["ticket", "title", "severity", "clock", "due", "stopped", "late_by_min", "calendar", "reasons"]


def to_csv(report: MonthReport, *, table: str = "all") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if table in ("all", "summary"):
        writer.writerow(SUMMARY_HEADER)
        writer.writerows(_summary_row(s) for s in report.severities)
    if table == "all":
        writer.writerow([])
    if table in ("all", "breaches"):
        writer.writerow(BREACH_HEADER)
        writer.writerows(_breach_row(report, b) for b in report.breaches)
    return buffer.getvalue()


def _minutes(value: object) -> str:
    return "" if value is None else f"{value.total_seconds() / 60:.1f}"  # type: ignore[attr-defined]


def _pct(r: Rate) -> str:
    return "" if r.percent is None else f"{r.percent:.1f}"


def _summary_row(s: SeverityFigures) -> Sequence[object]:
    return [s.severity.value, s.opened, s.callbacks.met, s.callbacks.breached, s.callbacks.pending,
            _pct(s.callbacks), s.updates.met, s.updates.breached, _pct(s.updates), s.resolutions.met,
            s.resolutions.breached, s.resolutions.pending, _pct(s.resolutions), _minutes(s.callback_median),
            _minutes(s.callback_p90), s.callback_calendar, _minutes(s.resolution_median),
            _minutes(s.resolution_p90), s.resolution_calendar]


def _breach_row(report: MonthReport, b: Breach) -> Sequence[object]:
    return [b.ref, _cell(b.title), b.severity.value, b.clock, when(report, b.due),
            when(report, b.stopped_at) if b.stopped_at else "", _minutes(b.late_by), b.calendar,
            _cell(" | ".join(b.reasons))]


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: a ticket title is data.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
