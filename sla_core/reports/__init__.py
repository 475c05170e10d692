"""SLA reports: a month's tickets replayed into outcomes per severity (callbacks, every
update interval, resolutions), breaches with their reasons, availability and planned
maintenance; rendered as Markdown, CSV or a self-contained HTML page with SVG charts."""

from messages import DEFAULT_LANGUAGE
from sla_core.reports.build import build_month_report
from sla_core.reports.html_report import to_html
from sla_core.reports.model import (
    Breach, ClockOutcome, ClockTarget, MonthReport, Rate, Reason, SeverityFigures, TicketOutcome, Timing,
)
from sla_core.reports.month import Month
from sla_core.reports.schedule import SummaryOwed, monthly_summary_due, summary_notification
from sla_core.reports.text import TABLES, to_csv, to_markdown

FORMATS = ("md", "csv", "html")


def render(report: MonthReport, *, fmt: str, table: str = "all", lang: str = DEFAULT_LANGUAGE) -> str:
    """The report in ``fmt``, worded in ``lang`` (CSV keeps its machine-readable columns)."""
    if fmt == "md":
        return to_markdown(report, lang=lang)
    if fmt == "csv":
        return to_csv(report, table=table, lang=lang)
    return to_html(report, lang=lang)


__all__ = [
    "build_month_report", "to_html", "Breach", "ClockOutcome", "ClockTarget", "MonthReport", "Rate", "Reason",
    "SeverityFigures", "TicketOutcome", "Timing", "Month", "SummaryOwed", "monthly_summary_due",
    "summary_notification", "TABLES", "to_csv", "to_markdown", "FORMATS", "render",
]
