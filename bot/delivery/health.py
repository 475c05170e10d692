"""``/healthz`` for the sender: outbox counts, every row that failed for good or keeps
failing, with its key and last error (so nothing fails silently), and every row held by a
stale claim: ``sending`` past its lease, so its holder stopped renewing it (the process
died or stalled). Such a row waits for a take-over, which a live sender makes within a
poll (5 s) of the lease's end; meanwhile the desk is not "ok": a message is late."""

from __future__ import annotations

from typing import Any

from bot.context import BotContext
from sla_core.outbox import store


def health(ctx: BotContext, *, min_attempts: int = 3) -> tuple[bool, dict[str, Any]]:
    now = ctx.now()
    with ctx.uow() as uow:
        counts = store.counts(uow.session)
        failing = [{"key": row.key, "kind": row.kind, "status": row.status, "attempts": row.attempts,
                    "last_error": row.last_error}
                   for row in store.failing(uow.session, min_attempts=min_attempts)]
        stale_count, stale_rows = store.stale_claims(uow.session, now=now)
        stale = [{"key": row.key, "kind": row.kind, "claimed_by": row.claimed_by,
                  "lease_ended": row.claimed_until.isoformat() if row.claimed_until else None,
                  "seconds_past_lease": round((now - row.claimed_until).total_seconds(), 1)
                  if row.claimed_until else None}
                 for row in stale_rows]
    healthy = not failing and counts.get(store.FAILED, 0) == 0 and stale_count == 0
    return healthy, {"outbox": counts, "failing": failing, "stale_claims": {"count": stale_count, "rows": stale}}
