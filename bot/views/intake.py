"""The intake modal (``/incident``) and the confirmation that replaces it.

Block ids are the ``TicketForm`` field names, so ``InvalidForm.errors`` (field → error)
maps straight onto the blocks for inline errors. Out-of-scope categories are listed too:
the reporter learns the contract's reason inline rather than wondering why a kind of
request is missing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.settings import SlackWiring
from bot.rendering import blocks as bk
from bot.rendering.card import ticket_card
from messages import keys, render, render_plain
from sla_core.field_limits import TICKET_FIELDS
from sla_core.policy import Policy
from sla_core.severity import Severity
from sla_core.tickets import Account, SupportConfig, TicketForm, TicketView
from sla_core.tickets.errors import FieldError
from sla_core.tickets.intake import CONTACT_CHANNELS, IN_SCOPE, LANGUAGES, OUT_OF_SCOPE, VersionStatus

CALLBACK_ID = "modal.incident"
CONFIRMATION_ID = "modal.incident_confirmation"
ACCOUNT = "account"
FIELDS = ("title", "description", "category", "severity", "affected_users", "product_version",
          "contact_channel", "contact_phone", "language", "code_sample")


def incident_modal(*, support: SupportConfig, language: str, accounts: Sequence[Account],
                   prefill: Mapping[str, str] | None = None, private_metadata: str = "",
                   intro: str | None = None) -> dict[str, Any]:
    """``accounts``: those the reporter administers; a choice appears when there are several.
    ``prefill``: initial values of free-text fields (a ticket from a message), and
    ``private_metadata`` what the submission needs to know of that message; ``intro``
    replaces the usual introduction (already rendered)."""
    initial = dict(prefill or {})
    field = lambda name: render_plain(f"intake.field.{name}", language)  # noqa: E731

    def typed(name: str, *, optional: bool = False, hint: str | None = None) -> bk.Block:
        """A free-text field, as long as ``sla_core.field_limits`` lets it be."""
        limit = TICKET_FIELDS[name]
        return bk.input_block(name, field(name), bk.text_input(multiline=limit.multiline, max_length=limit.max_length,
                                                               initial=initial.get(name)),
                              optional=optional, hint=hint)
    out: list[bk.Block] = [bk.section(intro if intro is not None else render("intake.intro", language))]
    if len(accounts) > 1:
        out.append(bk.input_block(ACCOUNT, field("account"), bk.static_select(
            [bk.option(a.id, a.name) for a in accounts])))
    out += [
        typed("title"),
        typed("description"),
        bk.input_block("category", field("category"), bk.static_select(
            [bk.option(c.value, render_plain(f"intake.category.{c.value}", language)) for c in IN_SCOPE]
            + [bk.option(c.value, render_plain(f"intake.category.{c.value}", language)) for c in OUT_OF_SCOPE])),
        bk.input_block("severity", field("severity"), bk.static_select(
            [bk.option(s.value, render_plain(f"severity.{s.value}", language),
                       render_plain(f"severity_criteria.{s.value}", language)) for s in Severity])),
        typed("affected_users", optional=True),
        bk.input_block("product_version", field("product_version"), bk.static_select(_versions(support, language))),
        bk.input_block("contact_channel", field("contact_channel"), bk.static_select(
            [bk.option(c, render_plain(f"intake.contact_channel.{c}", language)) for c in CONTACT_CHANNELS])),
        typed("contact_phone", optional=True, hint=render_plain("intake.field.contact_phone_hint", language)),
        bk.input_block("language", field("language"), bk.static_select(
            [bk.option(lang, render_plain(f"intake.language.{lang}", language)) for lang in LANGUAGES],
            initial=language)),
        typed("code_sample", optional=True, hint=render_plain("intake.field.code_sample_hint", language)),
    ]
    return bk.modal(callback_id=CALLBACK_ID, title=render_plain("modal.incident.title", language),
                    submit=render_plain("modal.incident.submit", language), blocks=out, language=language,
                    private_metadata=private_metadata)


def _versions(support: SupportConfig, language: str) -> list[dict[str, Any]]:
    """Supported versions first; the others are listed with their status so that a
    reporter on an old version is told why inline, not left guessing."""
    ordered = sorted(support.versions.items(), key=lambda kv: (kv[1] is not VersionStatus.SUPPORTED, kv[0]))
    return [bk.option(v, v if s is VersionStatus.SUPPORTED
                      else f"{v} ({render_plain(f'intake.version_status.{s.value}', language)})")
            for v, s in ordered]


def form_from_state(values: Mapping[str, Any]) -> TicketForm:
    """The submitted state as the domain's form (text straight from the user)."""
    get = lambda name: bk.selected(dict(values), name) or ""  # noqa: E731
    return TicketForm(
        title=get("title"), description=get("description"), category=get("category"),
        product_version=get("product_version"), language=get("language"),
        contact_channel=get("contact_channel"), severity=get("severity"),
        contact_phone=get("contact_phone") or None, affected_users=get("affected_users") or None,
        code_sample=get("code_sample") or None, account_id=get(ACCOUNT) or None)


def field_errors(errors: Mapping[str, FieldError], language: str) -> dict[str, str]:
    """Every field error, translated, keyed by block id (all shown at once)."""
    return {name: field_error_text(name, error, language) for name, error in errors.items()}


def field_error_text(name: str, error: FieldError, language: str) -> str:
    if error.code == "out_of_scope" and "category" in error.params:
        return render_plain(f"intake.out_of_scope.{error.params['category']}", language)
    specific = f"field_error.{name}.{error.code}"
    key = specific if specific in keys(language) else f"field_error.{error.code}"
    if key not in keys(language):
        return error.message
    return render_plain(key, language, **dict(error.params))


def confirmation(ticket: TicketView, *, policy: Policy, wiring: SlackWiring, language: str) -> dict[str, Any]:
    contact = wiring.contact
    values = {"phone": " · ".join(contact.phones), "email": contact.email, "portal": contact.portal,
              "status_page": contact.status_page}
    channels = [render(f"intake.contact.{kind}", language, value=values[kind])
                for kind in contact.by_severity[ticket.severity]]
    card = ticket_card(ticket, language=language, policy=policy)
    out = [
        bk.section(render("intake.confirmation", language, ref=ticket.ref, severity=card.severity)),
        bk.section("\n".join([render("intake.targets", language), *card.clock_lines])),
        bk.section(render("intake.contacts", language) + "\n" + "\n".join(channels)),
    ]
    return bk.modal(callback_id=CONFIRMATION_ID, title=render_plain("modal.confirmation.title", language),
                    blocks=out, language=language, submit=None, private_metadata=ticket.ref)
