"""The modals of the ticket actions, one per action with a form, built from its declared
fields (``sla_core.tickets.actions``): a text field is a multi-line input, a select lists
its choices, a severity field the severities other than the ticket's. ``private_metadata``
is the ticket ref; each block id is the field's name (what the service takes); the labels
are ``action.<name>.field.<field>`` and ``action.<name>.option.<field>.<choice>``; the
submit button names the action (``action.<name>.submit``). A severity's option carries its
criteria whole as its description (``severity_criteria``, worded within Slack's 75)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.rendering import blocks as bk
from messages import render, render_plain
from sla_core.field_limits import ACTION_TEXTS
from sla_core.severity import Severity
from sla_core.tickets.actions import BUTTONS, FORMS, ActionSpec, Field, FieldKind
from sla_core.tickets.queries import TicketParties


def callback_id(spec: ActionSpec) -> str:
    return f"modal.{spec.form}"


# Button action_id → the action whose modal it opens; modal callback_id → its action.
MODALS: Mapping[str, ActionSpec] = {aid: spec for aid, (spec, button) in BUTTONS.items()
                                    if button.opens_form and spec.form is not None}
SUBMITTED: Mapping[str, ActionSpec] = {callback_id(spec): spec for spec in FORMS.values()}


def action_modal(spec: ActionSpec, ticket: TicketParties, language: str,
                 initial: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The modal of ``spec`` for ``ticket``; ``initial``: its text fields prefilled (a bug's draft)."""
    blocks = [bk.section(render("act.ticket", language, ref=ticket.ref, title=ticket.title)),
              *(_input(spec, field, ticket, language, initial) for field in spec.fields)]
    name = spec.action.value
    return bk.modal(callback_id=callback_id(spec), title=render_plain(f"action.{name}.title", language),
                    submit=render_plain(f"action.{name}.submit", language),
                    blocks=blocks, language=language, private_metadata=ticket.ref)


def _input(spec: ActionSpec, field: Field, ticket: TicketParties, lang: str,
           initial: Mapping[str, str] | None = None) -> bk.Block:
    name = spec.action.value
    label = render_plain(f"action.{name}.field.{field.name}", lang)
    if field.kind is FieldKind.TEXT:
        limit = ACTION_TEXTS.get(field.name)
        element = bk.text_input(multiline=limit.multiline if limit else True, max_length=field.limits[1],
                                initial=(initial or {}).get(field.name))
    elif field.kind is FieldKind.SELECT:
        element = bk.static_select([bk.option(c, render_plain(f"action.{name}.option.{field.name}.{c}", lang))
                                    for c in field.choices])
    elif field.kind is FieldKind.SEVERITY:
        element = bk.static_select([bk.option(s.value, render_plain(f"severity.{s.value}", lang),
                                              render_plain(f"severity_criteria.{s.value}", lang))
                                    for s in map(Severity, field.choices) if s is not ticket.severity])
    elif field.kind is FieldKind.FLAG:
        element = bk.checkboxes([bk.option(field.name, render_plain(f"action.{name}.option.{field.name}", lang))])
    else:
        raise ValueError(f"{name}: a {field.kind.value} field has no modal input")
    return bk.input_block(field.name, label, element, optional=not field.asked)


def submitted_values(spec: ActionSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """The service's keywords from a submitted modal's state (an empty input is "", a
    flag is whether its box was ticked)."""
    return {field.name: (field.name in bk.ticked(values, field.name)) if field.kind is FieldKind.FLAG
            else bk.selected(values, field.name) or "" for field in spec.fields}
