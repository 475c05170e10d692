"""The report as Markdown (readable tables, in the reader's language) and as CSV (for
machines: identifiers as column names, dot decimals, ISO 8601 instants with their offset,
whatever the language; only the free-text ``reasons`` column is worded in it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime, timedelta

from messages import DEFAULT_LANGUAGE
from sla_core.instants import format_instant
from sla_core.reports.model import Breach, MonthReport, Rate, SeverityFigures
from sla_core.reports.words import BUSINESS, Words
from sla_core.satisfaction.figures import SatisfactionFigures

TABLES = ("all", "summary", "breaches")
BREACH_COLUMNS = ("ticket", "severity", "clock", "due", "stopped", "late_by", "reasons", "explanation")
SUMMARY_COLUMNS = ("severity", "opened", "callbacks", "updates", "resolutions", "callback_time", "resolution_time")


def summary_cells(w: Words, s: SeverityFigures) -> list[str]:
    """One severity's row of the summary table, as both formats show it."""
    return [w.severity(s.severity), w.number(s.opened), w.rate(s.callbacks), w.rate(s.updates),
            w.rate(s.resolutions), _spread(w, s.callback_median, s.callback_p90, s.callback_calendar),
            _spread(w, s.resolution_median, s.resolution_p90, s.resolution_calendar)]


def _spread(w: Words, median: timedelta | None, p90: timedelta | None, calendar: str) -> str:
    """``45 min / 1 h 30 min``; business time said once: ``5 h / 5 h 30 min ouvrées``."""
    if median is None or p90 is None:
        return "—"
    if calendar == BUSINESS:
        return w("business_time", amount=f"{w.hours(median)} / {w.hours(p90)}")
    return f"{w.duration(median, calendar)} / {w.duration(p90, calendar)}"


def explain_command(ref: str, lang: str) -> str:
    """The command that prints a breached ticket's ledger (every piece of time that counted
    toward the missed commitment, and why the rest did not), in the report's language. A
    command rather than a link: the report is read away from Slack (printed, mailed to a
    customer), and whoever runs the desk can always run it; in Slack, the ticket's
    "SLA details" button shows the same ledger."""
    return f"astreinte sla explain {ref}" + (f" --lang {lang}" if lang != DEFAULT_LANGUAGE else "")


def availability_phrases(w: Words, report: MonthReport) -> dict[str, str]:
    """The availability and error-budget sentences, in parts a format can emphasise."""
    worst, end = report.availability_worst, report.availability_end
    left = end.budget_left
    return {
        "worst": w("availability_worst", month=report.month, ratio=w.percent(worst.ratio, 2),
                   target=w.percent(worst.target, 2)),
        "verdict": w("verdict_met" if worst.met else "verdict_missed"),
        "window": w("availability_window", start=w.when(worst.window_start), end=w.when(worst.window_end),
                    downtime=w.budget(worst.downtime)),
        "budget": w("budget_line", end=w.when(end.window_end), budget=w.budget(end.budget)),
        "budget_state": (w("budget_left", amount=w.budget(left)) if left >= timedelta(0)
                         else w("budget_exceeded", amount=w.budget(left))),
        "excluded": w("excluded", amount=w.budget(end.excluded)),
    }


def maintenance_phrase(w: Words, report: MonthReport) -> tuple[str, str]:
    """``2 h used of the 3 h allowed this month`` and, over budget, ``over by 30 min``."""
    b = report.maintenance_budget
    over = b.used - b.budget
    return (w("maintenance_budget", used=w.budget(b.used), budget=w.budget(b.budget)),
            w("maintenance_over", amount=w.budget(over)) if over > timedelta(0) else "")


def to_markdown(report: MonthReport, *, lang: str = DEFAULT_LANGUAGE) -> str:
    w = Words.of(report, lang)
    out = [f"# {w('title', month=report.month)}", "",
           w("intro", month=report.month, as_of=w.when(report.generated_at), timezone=report.timezone), "",
           f"## {w('compliance_heading')}", "",
           _row(w(f"column.{c}") for c in SUMMARY_COLUMNS), "|---|" + "---:|" * (len(SUMMARY_COLUMNS) - 1)]
    out += [_row(summary_cells(w, s)) for s in report.severities]
    out += ["", _targets(w, report), "", f"## {w('breaches_heading')}", ""]
    if report.breaches:
        out += [w("breaches_count", count=len(report.breaches)), "", w("explain_hint"), "",
                _row(w(f"column.{c}") for c in BREACH_COLUMNS), "|---|---|---|---|---|---:|---|---|"]
        out += [_row([f"{b.ref} {b.title}", w.severity(b.severity), w.clock(b), w.when(b.due), w.when(b.stopped_at),
                      w.duration(b.late_by, b.calendar), "; ".join(w.reason(r) for r in b.reasons) or "—",
                      f"`{explain_command(b.ref, lang)}`"])
                for b in report.breaches]
    else:
        out.append(w("no_breach"))
    a = availability_phrases(w, report)
    verdict = a["verdict"] if report.availability_worst.met else f"**{a['verdict']}**"
    state = a["budget_state"] if report.availability_end.budget_left >= timedelta(0) else f"**{a['budget_state']}**"
    out += ["", f"## {w('availability_heading')}", "", f"- {_md(a['worst'])} {verdict}. {_md(a['window'])}",
            f"- {_md(a['budget'])} {state}.", f"- {_md(a['excluded'])}", ""]
    if report.outages:
        out += [_row(w(f"column.{c}") for c in ("outage", "service", "cause", "from", "to", "ticket")),
                "|---|---|---|---|---|---|"]
        out += [_row([f"#{o.id}", o.service, w.cause(o.cause.value), w.when(o.started_at), w.when(o.ended_at),
                      o.ticket_ref or "—"]) for o in report.outages]
    else:
        out.append(w("no_outage"))
    used, over = maintenance_phrase(w, report)
    out += ["", f"## {w('maintenance_heading')}", "", _md(used) + (f" — **{_md(over)}**" if over else "") + ".", ""]
    if report.maintenance:
        out += [_row(w(f"column.{c}") for c in ("window", "service", "from", "to", "critical_fixes", "status")),
                "|---|---|---|---|---|---|"]
        out += [_row([f"#{m.id}", m.service, w.when(m.starts_at), w.when(m.ends_at),
                      w("answer_yes" if m.critical_fixes else "answer_no"),
                      w("status_planned" if m.active else "status_cancelled")]) for m in report.maintenance]
    else:
        out.append(w("no_maintenance"))
    out += satisfaction_markdown(w, report)
    if report.rca is not None:
        out += ["", f"## {w('rca_heading')}", "", _md(rca_phrase(w, report))]
    return "\n".join(out) + "\n"


def rca_phrase(w: Words, report: MonthReport) -> str:
    r = report.rca
    assert r is not None
    return w("rca_line", due=w.number(r.due), on_time=w.number(r.on_time), late=w.number(r.late),
             pending=w.number(r.pending))


SATISFACTION_GROUPS = ("agent", "severity", "account")
SATISFACTION_COLUMNS = ("who", "answers", "average", "low")


def satisfaction_groups(w: Words, figures: SatisfactionFigures) -> list[tuple[str, list[list[str]]]]:
    """Each grouping's title and rows (who, answers, average, low scores), as both formats show them."""
    def who(kind: str, key: str) -> str:
        if kind == "severity":
            return w.severity(key)
        return key or w("satisfaction_unassigned")

    groups = {"agent": figures.by_agent, "severity": figures.by_severity, "account": figures.by_account}
    return [(w(f"satisfaction_by.{kind}"),
             [[who(kind, g.key), w.number(g.answers), w.number(g.average, 1), w.number(g.low)] for g in groups[kind]])
            for kind in SATISFACTION_GROUPS]


def satisfaction_overall(w: Words, figures: SatisfactionFigures) -> str:
    o = figures.overall
    return w("satisfaction_overall", answers=o.answers, asked=figures.asked, average=w.number(o.average, 1),
             low=o.low, low_at_most=figures.low_score_at_most)


def satisfaction_markdown(w: Words, report: MonthReport) -> list[str]:
    figures = report.satisfaction
    out = ["", f"## {w('satisfaction_heading')}", ""]
    if figures is None or not figures.overall.answers:
        return [*out, w("satisfaction_none")]
    out += [_md(satisfaction_overall(w, figures))]
    for title, rows in satisfaction_groups(w, figures):
        out += ["", f"### {title}", "",
                _row(w(f"satisfaction_column.{c}") for c in SATISFACTION_COLUMNS), "|---|---:|---:|---:|"]
        out += [_row(r) for r in rows]
    return out


def _targets(w: Words, report: MonthReport) -> str:
    """What each severity's clocks promise, under the table its figures are measured against."""
    return "\n".join(
        f"- {w.severity(s.severity)}: " + ", ".join(w(f"target.{k}", amount=w.target(s.targets[k]))
                                                   for k in ("callback", "update", "resolution"))
        for s in report.severities)


def _row(cells: Sequence[str] | object) -> str:
    return "| " + " | ".join(_md(str(c)) for c in cells) + " |"  # type: ignore[union-attr]


def _md(text: str) -> str:
    # A pipe would split the table cell; markup in a title is shown, not interpreted.
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


SUMMARY_HEADER = ["severity", "opened", "callbacks_met", "callbacks_breached", "callbacks_pending", "callbacks_pct",
                  "updates_met", "updates_breached", "updates_pct", "resolutions_met", "resolutions_breached",
                  "resolutions_pending", "resolutions_pct", "callback_median_min", "callback_p90_min",
                  "callback_calendar", "resolution_median_min", "resolution_p90_min", "resolution_calendar"]
BREACH_HEADER = ["ticket", "title", "severity", "clock", "due", "stopped", "late_by_min", "calendar", "reasons"]


def to_csv(report: MonthReport, *, table: str = "all", lang: str = DEFAULT_LANGUAGE) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if table in ("all", "summary"):
        writer.writerow(SUMMARY_HEADER)
        writer.writerows(_summary_row(s) for s in report.severities)
    if table == "all":
        writer.writerow([])
    if table in ("all", "breaches"):
        w = Words.of(report, lang)
        writer.writerow(BREACH_HEADER)
        writer.writerows(_breach_row(w, b) for b in report.breaches)
    return buffer.getvalue()


def _minutes(value: timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 60:.1f}"


def _pct(r: Rate) -> str:
    return "" if r.percent is None else f"{r.percent:.1f}"


def _iso(w: Words, instant: datetime | None) -> str:
    return format_instant(instant, timezone=w.timezone) or ""


def _summary_row(s: SeverityFigures) -> Sequence[object]:
    return [s.severity.value, s.opened, s.callbacks.met, s.callbacks.breached, s.callbacks.pending,
            _pct(s.callbacks), s.updates.met, s.updates.breached, _pct(s.updates), s.resolutions.met,
            s.resolutions.breached, s.resolutions.pending, _pct(s.resolutions), _minutes(s.callback_median),
            _minutes(s.callback_p90), s.callback_calendar, _minutes(s.resolution_median),
            _minutes(s.resolution_p90), s.resolution_calendar]


def _breach_row(w: Words, b: Breach) -> Sequence[object]:
    return [b.ref, _cell(b.title), b.severity.value, b.clock_id, _iso(w, b.due), _iso(w, b.stopped_at),
            _minutes(b.late_by), b.calendar, _cell(" | ".join(w.reason(r) for r in b.reasons))]


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: a ticket title is data.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def percent(r: Rate) -> str:
    """``66.7%``: the summary's machine-neutral share (the monthly summary's payload)."""
    return "—" if r.percent is None else f"{r.percent:.1f}%"
