"""What the RCA notices say (``sla_core.outbox.model``: RcaApproval, RcaDocument,
RcaReminder, RcaLate), rendered from the stored version and the ticket's log.

The reporter's copy is one long-form DM (the lead sentence, then the whole document in
sections), not a file: ``files.uploadV2`` would need the ``files:write`` scope (a new
install for every deployer) and, above all, an uploaded file carries no message metadata,
so a sender that lost Slack's answer could not look it up and would upload it twice; a
message keeps the outbox's exactly-once recovery. ``astreinte rca INC-… --format html``
writes the same document as a file for whoever needs one."""

from __future__ import annotations

from bot.context import BotContext
from bot.rendering.blocks import Outgoing, actions, button, date_token, section
from bot.rendering.notices import Permalink
from bot.rendering.rca_document import build, to_slack
from messages import mention_user, render, render_plain
from sla_core.outbox.model import OutboxEntry, RcaApproval, RcaDocument, RcaLate, RcaReminder
from sla_core.rca import service as rca
from sla_core.rca.evidence import evidence
from sla_core.rca.model import RcaView
from sla_core.tickets.views import TicketView

APPROVE_BUTTON = "rca.approve"  # bot/listeners/rca.py
APPROVE_BLOCK = "rca_approval"


class VersionGone(LookupError):
    """The outbox names an RCA version the store does not hold (it never should)."""


def _version(ctx: BotContext, ref: str, number: int) -> RcaView:
    for view in rca.versions(ctx.uow(), ticket_ref=ref):
        if view.version == number:
            return view
    raise VersionGone(f"{ref} has no RCA version {number}")


def _document(ctx: BotContext, ticket: TicketView, version: RcaView, lang: str, lead: str) -> Outgoing:
    proof = evidence(ctx.policy, opened_at=ticket.opened_at, events=ticket.events,
                     now=version.sent_at or version.updated_at)
    return to_slack(build(ticket, version, proof, policy=ctx.policy, lang=lang, for_slack=True), lead=lead)


def render_rca_approval(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                        permalink: Permalink) -> Outgoing:
    """In the leads' channel: the submitted version in full, and [Approve and send]."""
    notice = entry.payload
    assert isinstance(notice, RcaApproval) and ticket is not None
    lead = render("rca.notice.approval", lang, author=mention_user(notice.author), version=notice.version,
                  ref=ticket.ref, title=ticket.title)
    doc = _document(ctx, ticket, _version(ctx, ticket.ref, notice.version), lang, lead)
    approve = actions(APPROVE_BLOCK, [button(APPROVE_BUTTON, render_plain("rca.button.approve", lang), ticket.ref,
                                             style="primary")])
    return Outgoing(text=doc.text, blocks=[*doc.blocks[:49], approve])


def render_rca_document(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                        permalink: Permalink) -> Outgoing:
    """The reporter's copy, in their language."""
    notice = entry.payload
    assert isinstance(notice, RcaDocument) and ticket is not None
    lead = render("rca.notice.correction" if notice.correction else "rca.notice.document", lang, ref=ticket.ref,
                  title=ticket.title, version=notice.version)
    return _document(ctx, ticket, _version(ctx, ticket.ref, notice.version), lang, lead)


def render_rca_reminder(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                        permalink: Permalink) -> Outgoing:
    notice = entry.payload
    assert isinstance(notice, RcaReminder)
    text = render("rca.notice.reminder", lang, agent=mention_user(notice.agent) if notice.agent else None,
                  ref=notice.ref, title=ticket.title if ticket else "", due=date_token(notice.due, lang, ctx.policy))
    return Outgoing(text=text, blocks=[section(text)])


def render_rca_late(ctx: BotContext, entry: OutboxEntry, ticket: TicketView | None, lang: str,
                    permalink: Permalink) -> Outgoing:
    notice = entry.payload
    assert isinstance(notice, RcaLate)
    text = render("rca.notice.late", lang, ref=notice.ref, title=ticket.title if ticket else "",
                  due=date_token(notice.due, lang, ctx.policy))
    return Outgoing(text=text, blocks=[section(text)])
