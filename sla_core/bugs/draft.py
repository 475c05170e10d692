"""The bug report an agent files from a ticket, prefilled from it: its title, product
version, description, the code sample (an API bug's), what it impacts, and the ticket's
reference, every text stripped of the reporter's personal data (``scrub``) and cut to
the modal's limits (``field_limits.BUG_FIELDS``). The agent edits it in the modal; the
service scrubs what comes back again (a pasted phone number is still a phone number)."""

from __future__ import annotations

from dataclasses import dataclass

from sla_core.bugs.scrub import scrub
from sla_core.field_limits import BUG_FIELDS
from sla_core.severity import Severity
from sla_core.tickets.intake import Category
from sla_core.tickets.views import TicketView


@dataclass(frozen=True, kw_only=True)
class BugDraft:
    ticket_ref: str
    title: str
    product_version: str
    description: str
    code_sample: str  # "" unless the ticket is an API bug with a sample
    severity: Severity  # with the affected users, the impact (worded by the adapter, in the agent's language)
    affected_users: str


def draft_from_ticket(ticket: TicketView) -> BugDraft:
    known = (ticket.contact_phone,)

    def clean(name: str, text: str | None) -> str:
        return _cut(scrub(text or "", known=known), BUG_FIELDS[name].max_length)

    sample = ticket.code_sample if ticket.category == Category.API_BUG.value else ""
    return BugDraft(ticket_ref=ticket.ref, title=clean("title", ticket.title),
                    product_version=clean("product_version", ticket.product_version),
                    description=clean("description", ticket.description), code_sample=clean("code_sample", sample),
                    severity=ticket.severity, affected_users=scrub(ticket.affected_users or "", known=known))


def scrub_fields(fields: dict[str, str], *, known: tuple[str | None, ...]) -> dict[str, str]:
    """The submitted draft's texts, scrubbed again, and kept within their limits (a
    6-character address "a@b.fr" becomes the 7 of "[email]")."""
    return {name: _cut(scrub(value, known=known), BUG_FIELDS[name].max_length) if isinstance(value, str) else value
            for name, value in fields.items()}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
