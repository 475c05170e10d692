"""The scheduler's tick, as the bot runs it: every replica runs one every
``scheduler.tick_seconds`` (APScheduler interval job, in-memory store, see
``bot/runtime.py``); the database decides what is due, so replicas never need to agree on
who runs it. After a pass that queued messages, the sender is woken at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.context import BotContext
from sla_core.scheduler.periodic import run_periodic
from sla_core.scheduler.rca_due import run_rca_tick
from sla_core.scheduler.tick import TickReport, run_tick

log = logging.getLogger("astreinte.scheduler")


def tick_once(ctx: BotContext, *, metrics: Any | None = None) -> TickReport:
    now = ctx.now()
    report = run_tick(ctx.uow, policy=ctx.policy, config=ctx.scheduling, now=now)
    announced = run_periodic(ctx.uow, policy=ctx.policy, config=ctx.service_levels, now=now)
    announced += run_rca_tick(ctx.uow, policy=ctx.policy, settings=ctx.rca, config=ctx.scheduling, now=now)
    if metrics is not None:
        metrics.tick_seconds.observe(report.seconds)
    if report.queued or report.digests or report.auto_accepted or announced:
        ctx.wake_sender()
    log.info("tick at %s: %d tickets planned, %d notices decided, %d queued, %d digests, %d auto-accepted "
             "in %.3fs", now.isoformat(), report.tickets, report.decided, report.queued, report.digests,
             report.auto_accepted, report.seconds,
             extra={"tickets": report.tickets, "decided": report.decided, "queued": report.queued,
                    "digests": report.digests, "auto_accepted": report.auto_accepted,
                    "seconds": round(report.seconds, 4)})
    return report


def tick_job(ctx: BotContext, *, metrics: Any | None = None) -> Callable[[], None]:
    """The interval job: a failing pass is logged with its traceback and retried at the
    next interval (what was due stays due in the database)."""
    def scheduler_tick() -> None:
        try:
            tick_once(ctx, metrics=metrics)
        except Exception:
            log.exception("scheduler tick failed; the next one retries what is due")
    return scheduler_tick
