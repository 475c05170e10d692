"""Every modal's submit button names its action, and severity options show their criteria
whole, once (issue 13, item 5)."""

from __future__ import annotations

from typing import Any

import pytest

import messages
from bot.rendering import blocks as bk
from bot.views.actions import action_modal
from messages import render_plain
from sla_core.severity import Severity
from sla_core.tickets.actions import FORMS
from sla_core.tickets.queries import TicketParties
from sla_core.tickets.status import Status
from tests.slack_e2e.conftest import ADMIN, AGENT, AGENT2, Desk

GENERIC = {"Submit", "Envoyer", "Valider", "OK"}
TICKET = TicketParties(ref="INC-2026-000001", account_id="acme", reporter_id=ADMIN, status=Status.OPENED,
                       title="Checkout down", severity=Severity.IMPORTANT)


@pytest.mark.parametrize("language", messages.LANGUAGES)
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_declared_modal_submit_names_its_action_whole(form: str, language: str) -> None:
    spec = FORMS[form]
    label = render_plain(f"action.{spec.action.value}.submit", language)
    submit = action_modal(spec, TICKET, language)["submit"]["text"]
    assert submit == label and len(label) <= bk.TITLE_MAX  # whole, never cut
    assert submit not in GENERIC


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_severity_criteria_fit_whole_in_an_option_description(language: str) -> None:
    for severity in Severity:
        criteria = render_plain(f"severity_criteria.{severity.value}", language)
        assert len(criteria) <= bk.OPTION_MAX, (severity, len(criteria))
        assert bk.option(severity.value, "x", criteria)["description"]["text"] == criteria


def _options(view: dict[str, Any], block_id: str) -> list[dict[str, Any]]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return list(block["element"]["options"])


def _texts_outside(view: dict[str, Any], block_id: str) -> str:
    return str([b for b in view["blocks"] if b.get("block_id") != block_id])


def test_the_opened_modals_name_their_action_in_each_agents_language(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    for user, words in ((AGENT, "Acknowledge"), (AGENT2, "Prendre en charge")):
        before = len(desk.slack.views_opened())
        desk.click(user, "ticket.acknowledge", ref)
        assert desk.wait_for_view(before)["submit"]["text"] == words
    before = len(desk.slack.views_opened())
    desk.click(AGENT, "ticket.severity", ref)
    severity = desk.wait_for_view(before)
    assert severity["submit"]["text"] == "Change severity"
    for option in _options(severity, "severity"):
        criteria = render_plain(f"severity_criteria.{option['value']}", "en")
        assert option["description"]["text"] == criteria and not criteria.endswith("…")


def test_the_intake_modal_says_each_severitys_criteria_once_and_whole(desk: Desk) -> None:
    view = desk.open_incident(ADMIN)
    assert view["submit"]["text"] == "Open the ticket"
    for option in _options(view, "severity"):
        criteria = render_plain(f"severity_criteria.{option['value']}", "en")
        assert option["description"]["text"] == criteria
        assert criteria not in _texts_outside(view, "severity")  # no context block repeating it
