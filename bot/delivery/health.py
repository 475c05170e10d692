"""``/healthz`` for the sender: outbox counts, and every row that failed for good or
keeps failing, with its key and last error (so nothing fails silently)."""

from __future__ import annotations

from typing import Any

from bot.context import BotContext
from sla_core.outbox import store


def health(ctx: BotContext, *, min_attempts: int = 3) -> tuple[bool, dict[str, Any]]:
    with ctx.uow() as uow:
        counts = store.counts(uow.session)
        failing = [{"key": row.key, "kind": row.kind, "status": row.status, "attempts": row.attempts,
                    "last_error": row.last_error}
                   for row in store.failing(uow.session, min_attempts=min_attempts)]
    healthy = not failing and counts.get(store.FAILED, 0) == 0
    return healthy, {"outbox": counts, "failing": failing}
