"""The ticket card: how one ticket reads, the same on every surface.

The root post in the severity channel, ``/incident status`` and ``list``, the App Home,
the intake confirmation and the reporter's DMs all describe a ticket from this card, each
choosing which parts it shows; none words a status, a severity or a clock itself. So the
channel and ``/incident status`` can never describe one ticket two ways.

A card is a pure function of the ticket's view (its state and its clocks, computed for
the instant it was read), the policy (for the time zone of date fallbacks) and the
language. Its parts are rendered on first use: a Home listing forty tickets renders forty
lines and countdowns, not forty sets of facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from messages import mention_user, render, render_plain
from sla_core.policy import Policy
from sla_core.tickets.support import SupportConfig
from sla_core.tickets.views import TicketView

from bot.rendering import action_ids
from bot.rendering.blocks import Block, button, date_token, section
from bot.rendering.labels import SEVERITY_EMOJI, clock_lines, severity_name, status_name


@dataclass(frozen=True, kw_only=True)
class TicketCard:
    ticket: TicketView
    language: str
    policy: Policy
    account: str = field(default="")  # the account's name, for the parties

    @property
    def ref(self) -> str:
        return self.ticket.ref

    @property
    def emoji(self) -> str:
        return SEVERITY_EMOJI[self.ticket.severity]

    @cached_property
    def severity(self) -> str:
        return severity_name(self.ticket.severity, self.language)

    @cached_property
    def status(self) -> str:
        return status_name(self.ticket.status, self.language)

    # ---- header --------------------------------------------------------------------
    @cached_property
    def line(self) -> str:
        """One line for lists: "*INC-…* · Critical · title"."""
        return render("ticket.line", self.language, ref=self.ref, severity=self.severity, title=self.ticket.title)

    @cached_property
    def heading(self) -> str:
        """The post's heading: severity emoji, reference and severity, then the title."""
        return render("ticket.heading", self.language, emoji=self.emoji, ref=self.ref, severity=self.severity,
                      title=self.ticket.title)

    @cached_property
    def fallback(self) -> str:
        """The notification text of a post about the ticket."""
        return render("ticket.fallback", self.language, severity=self.severity, ref=self.ref,
                      title=self.ticket.title, status=self.status)

    # ---- status --------------------------------------------------------------------
    @cached_property
    def status_line(self) -> str:
        return render("ticket.status_line", self.language, status=self.status)

    @cached_property
    def next_due(self) -> datetime | None:
        """The earliest due or limit of a running clock: what the agent races against."""
        dues = [t for c in self.ticket.clocks.clocks if c.is_running for t in (c.due, c.limit) if t is not None]
        return min(dues) if dues else None

    @cached_property
    def countdown(self) -> str:
        """Status, breach marker and next due, on one line."""
        parts = [self.status_line]
        if self.ticket.breached:
            parts.append(render("ticket.breached", self.language))
        if self.next_due is not None:
            parts.append(render("ticket.next_due", self.language,
                                due=date_token(self.next_due, self.language, self.policy)))
        return " · ".join(parts)

    # ---- clocks --------------------------------------------------------------------
    @cached_property
    def clocks_title(self) -> str:
        return render("ticket.clocks_title", self.language)

    @cached_property
    def clock_lines(self) -> tuple[str, ...]:
        return tuple(clock_lines(self.ticket.clocks, self.language, self.policy))

    # ---- parties and facts ---------------------------------------------------------
    @cached_property
    def parties(self) -> tuple[str, ...]:
        """Who reported it and for which account."""
        return (render("ticket.fact.reporter", self.language, reporter=mention_user(self.ticket.reporter_id)),
                render("ticket.fact.account", self.language, account=self.account or self.ticket.account_id))

    @cached_property
    def facts(self) -> tuple[str, ...]:
        """What the ticket is: status, category, version, how to reach the reporter, reach."""
        t, lang = self.ticket, self.language
        contact = (render("ticket.contact.phone", lang, phone=t.contact_phone or "—") if t.contact_channel == "phone"
                   else render(f"ticket.contact.{t.contact_channel}", lang))
        out = [
            render("ticket.fact.status", lang, status=self.status),
            render("ticket.fact.category", lang, category=render(f"ticket.category.{t.category}", lang)),
            render("ticket.fact.version", lang, version=t.product_version),
            render("ticket.fact.contact", lang, contact=contact),
        ]
        if t.affected_users:
            out.append(render("ticket.fact.affected", lang, affected=t.affected_users))
        return tuple(out)


def sla_details_section(ref: str, language: str, *, prompt: str = "sla_details.prompt") -> Block:
    """A line with the "SLA details" button (opening the ticket's ledger) beside it: a
    section's accessory rather than an actions block, so the buttons of the ticket's
    moment (the root post's actions, the reporter's answers) stay a block of their own."""
    return section(render(prompt, language, ref=ref),
                   accessory=button(action_ids.SLA_DETAILS, render_plain("sla_details.button", language), ref))


def ticket_card(ticket: TicketView, *, language: str, policy: Policy,
                support: SupportConfig | None = None) -> TicketCard:
    """The card of ``ticket`` in ``language``. ``support`` names the account among the
    parties; a surface that shows no parties (a list, the Home) need not pass it."""
    account = support.accounts.get(ticket.account_id) if support is not None else None
    return TicketCard(ticket=ticket, language=language, policy=policy, account=account.name if account else "")
