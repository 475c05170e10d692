"""``/incident outage …`` (agents record service interruptions, anyone sees availability)
and ``/incident report [YYYY-MM]`` (agents: a month's SLA compliance). Thin: parse the
words, call ``sla_core.availability`` / ``sla_core.reports``, render."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.context import BotContext
from bot.listeners.common import check_capability
from bot.rendering.action_ids import SLA_DETAILS
from bot.rendering.blocks import Outgoing, button, context, date_token, section
from messages import format_number, render, render_plain
from sla_core.availability import (
    current_availability, end_outage, list_outages, parse_cause, start_outage,
)
from sla_core.intervals import trailing_window
from sla_core.reports.build import build_month_report
from sla_core.reports.month import Month
from sla_core.reports.words import Words
from sla_core.authorization import Capability
from sla_core.errors import UsageError

_REF = re.compile(r"^[A-Z]+-\d{4}-\d{6}$")


def outage_answer(ctx: BotContext, user: str, words: Sequence[str], lang: str) -> str:
    sub = words[0].lower() if words else "status"
    now = ctx.now()
    if sub == "start":
        if len(words) < 3:
            raise UsageError("/incident outage", "Usage", code="outage_usage")
        ref = next((w.upper() for w in words[3:] if _REF.match(w.upper())), None)
        note = " ".join(w for w in words[3:] if w.upper() != ref)
        outage = start_outage(ctx.uow(), support=ctx.support, actor_id=user, service=words[1],
                              cause=parse_cause(words[2]), ticket_ref=ref, note=note, now=now)
        return render("outage.started", lang, id=outage.id, service=outage.service,
                      cause=render(f"outage.cause.{outage.cause.value}", lang),
                      at=date_token(outage.started_at, lang, ctx.policy), ref=ref)
    if sub == "end":
        if len(words) != 2 or not words[1].lstrip("#").isdigit():
            raise UsageError("/incident outage", "Usage", code="outage_usage")
        outage = end_outage(ctx.uow(), support=ctx.support, actor_id=user, outage_id=int(words[1].lstrip("#")),
                            now=now)
        return render("outage.ended", lang, id=outage.id, service=outage.service,
                      at=date_token(outage.ended_at or now, lang, ctx.policy))
    if sub in ("status", "list"):
        return _status(ctx, lang)
    raise UsageError("/incident outage", "Usage", code="outage_usage")


def _status(ctx: BotContext, lang: str) -> str:
    now = ctx.now()
    settings = ctx.service_levels.availability
    figure = current_availability(ctx.uow(), settings=settings, now=now)
    start, _ = trailing_window(now, settings.window)
    ongoing = [o for o in list_outages(ctx.uow(), start=start, end=now) if o.ended_at is None]
    lines = [render("outage.availability", lang, ratio=figure.ratio, target=figure.target, met=figure.met,
                    left=figure.budget_left, budget=figure.budget)]
    for o in ongoing:
        lines.append(render("outage.ongoing", lang, id=o.id, service=o.service,
                            cause=render(f"outage.cause.{o.cause.value}", lang),
                            since=date_token(o.started_at, lang, ctx.policy)))
    return "\n".join(lines)


SLACK_BREACHES_SHOWN = 10  # each a section with its button: well within a message's 50 blocks


def report_answer(ctx: BotContext, user: str, words: Sequence[str], lang: str) -> str | Outgoing:
    check_capability(ctx, Capability.READ_REPORT, user)
    now = ctx.now()
    month = Month.parse(words[0], field="month") if words else Month.of(now, ctx.policy.timezone).previous()
    report = build_month_report(ctx.uow(), policy=ctx.policy, config=ctx.service_levels, month=month, now=now,
                                satisfaction=ctx.satisfaction, rca=ctx.rca)
    lines = [render("report.header", lang, month=month)]
    for s in report.severities:
        if s.opened:
            lines.append(render("report.severity", lang, severity=render(f"severity.{s.severity.value}", lang),
                                opened=s.opened, callbacks=_share(s.callbacks.percent),
                                updates=_share(s.updates.percent), resolutions=_share(s.resolutions.percent)))
    if len(lines) == 1:
        lines.append(render("report.empty", lang))
    worst = report.availability_worst
    budget = report.maintenance_budget
    csat = report.satisfaction
    if csat is not None and csat.overall.answers:
        lines.append(render("report.slack_satisfaction", lang, answers=csat.overall.answers, low=csat.overall.low,
                            average=format_number(csat.overall.average, lang, 1)))
    lines.append(render("report.footer", lang, ratio=worst.ratio, met=worst.met, breaches=len(report.breaches),
                        used=budget.used, budget=budget.budget, label=month.label))
    if report.rca is not None and report.rca.due:
        r = report.rca
        lines.append(render("report.rca_line", lang, due=r.due, on_time=r.on_time, late=r.late, pending=r.pending))
    text = "\n".join(lines)
    if not report.breaches:
        return text
    # Each missed commitment with its "SLA details" button: the ledger that explains it.
    w = Words.of(report, lang)
    blocks = [section(text), section(render("report.slack_breaches", lang, count=len(report.breaches)))]
    for b in report.breaches[:SLACK_BREACHES_SHOWN]:
        blocks.append(section(render("report.slack_breach", lang, ref=b.ref, title=b.title, clock=w.clock(b),
                                     late_by=w.duration(b.late_by, b.calendar)),
                              accessory=button(SLA_DETAILS, render_plain("sla_details.button", lang), b.ref)))
    if len(report.breaches) > SLACK_BREACHES_SHOWN:
        blocks.append(context(render("ui.and_more", lang, count=len(report.breaches) - SLACK_BREACHES_SHOWN)))
    return Outgoing(text=text, blocks=blocks)


def _share(percent: float | None) -> float | None:
    return None if percent is None else percent / 100  # the templates write it as the language does
