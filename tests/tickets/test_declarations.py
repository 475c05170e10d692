"""The actions' declarations are complete and consistent: every action declared once,
every event recorded by one action, and every text a declaration implies written in both
languages (so adding an action without its templates fails here, not in Slack)."""

from __future__ import annotations

import pytest

import messages
from sla_core.tickets.actions import BUTTONS, DECLARED, FORMS, Action, EventKind, FieldKind, Surface


def test_every_action_is_declared_once_and_records_its_own_event() -> None:
    assert list(DECLARED) == list(Action)
    events = [spec.event for spec in DECLARED.values()]
    assert sorted(events) == sorted(set(events))
    assert set(events) | {EventKind.OPENED} == set(EventKind)


def test_buttons_and_forms_have_unique_stable_ids() -> None:
    ids = [b.id for spec in DECLARED.values() for b in spec.buttons]
    assert len(ids) == len(set(ids)) == len(BUTTONS)
    forms = [spec.form for spec in DECLARED.values() if spec.form]
    assert len(forms) == len(set(forms)) == len(FORMS)
    for spec in DECLARED.values():
        assert all(not b.opens_form for b in spec.buttons) or spec.form, spec.action  # a form to open


@pytest.mark.parametrize("language", messages.LANGUAGES)
@pytest.mark.parametrize("action", list(Action), ids=[a.value for a in Action])
def test_every_text_a_declaration_implies_exists(action: Action, language: str) -> None:
    spec, keys, name = DECLARED[action], messages.keys(language), action.value
    wanted = {f"action.{name}.doing", f"action.{name}.done"}
    if any(b.surface is Surface.ROOT for b in spec.buttons):
        wanted.add(f"action.{name}.button")
    if spec.form:
        wanted |= {f"action.{name}.title", f"action.{name}.submit"}
        for field in spec.fields:
            wanted.add(f"action.{name}.field.{field.name}")
            if field.kind is FieldKind.SELECT:
                wanted |= {f"action.{name}.option.{field.name}.{choice}" for choice in field.choices}
            if field.kind is FieldKind.FLAG:
                wanted.add(f"action.{name}.option.{field.name}")
    assert sorted(wanted - keys) == []
