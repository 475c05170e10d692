"""Asks Slack who the people given by e-mail address are (``users.lookupByEmail``), a
few at a time: after a lead adds one (after the ack) and in a periodic job of every
replica. Two replicas may ask about the same person at the same moment: the answers
agree and the second write changes nothing."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.context import BotContext
from sla_core.accounts.resolution import people_to_resolve, record_resolution

log = logging.getLogger("astreinte.people")
BATCH = 20  # users.lookupByEmail is Tier 3 (about 50 a minute): a job's share of it
LOOKUP_SECONDS = 300  # how often each replica looks for people due (new ones, or stale)
NOT_FOUND = "users_not_found"


def schedule_people_lookup(runtime: Any) -> None:
    """The periodic look-up, in a serving process's ``Runtime`` (HTTP workers, Socket Mode)."""
    ctx = runtime.ctx
    runtime.add_interval_job(lambda: resolve_people(ctx), LOOKUP_SECONDS, name="people-lookup")


def resolve_people(ctx: BotContext, *, limit: int = BATCH) -> int:
    """Look up the people due; the number whose Slack user changed."""
    now = ctx.now()
    with ctx.uow() as uow:
        due = people_to_resolve(uow.session, now=now, limit=limit)
    changed = 0
    for person in due:
        try:
            user = ctx.client.users_lookupByEmail(email=person.email).get("user") or {}
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            if error != NOT_FOUND:  # rate limited, scope missing, Slack down: try again next time
                log.warning("users.lookupByEmail failed (%s); will retry", error)
                break
            user = {}
        with ctx.uow() as uow:
            if record_resolution(uow.session, person.person_id, slack_user_id=_text(user.get("id")),
                                 slack_team_id=_text(user.get("team_id")), now=now):
                changed += 1
            uow.commit()
    return changed


def _text(value: Any) -> str | None:
    return str(value) if value else None
