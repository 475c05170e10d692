"""The "File a bug" modal's prefill: the draft from the ticket (``sla_core.bugs.draft``),
stripped of the reporter's personal data, its impact worded in the agent's language."""

from __future__ import annotations

from bot.context import BotContext
from bot.rendering.labels import severity_name
from messages import render_plain
from sla_core.bugs.draft import draft_from_ticket
from sla_core.bugs.scrub import scrub
from sla_core.field_limits import BUG_FIELDS
from sla_core.tickets.actions import Action
from sla_core.tickets.queries import get_ticket


def bug_draft_values(ctx: BotContext, ref: str, language: str) -> dict[str, str]:
    ticket = get_ticket(ctx.uow(), policy=ctx.policy, ticket_ref=ref, now=ctx.now())
    draft = draft_from_ticket(ticket)
    impact = render_plain("bugs.draft.impact", language, severity=severity_name(draft.severity, language),
                          affected=draft.affected_users, ref=draft.ticket_ref)
    return {"title": draft.title, "product_version": draft.product_version, "description": draft.description,
            "code_sample": draft.code_sample,
            "impact": scrub(impact, known=(ticket.contact_phone,))[: BUG_FIELDS["impact"].max_length]}


# The modals opened prefilled: the action → its values for the ticket, in the agent's language.
PREFILLS = {Action.FILE_BUG: bug_draft_values}
