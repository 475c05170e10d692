"""One declaration of how long each free text may be (``sla_core.field_limits``), and
everything that must agree with it: the tickets table's columns, the intake modal and the
action modals' inputs, the domain's validation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import String, Text

from bot.views.actions import MODALS, action_modal
from bot.views.intake import incident_modal
from sla_core.field_limits import ACTION_TEXTS, SLACK_INPUT_MAX, TICKET_FIELDS, TextLimit
from sla_core.persistence.models import Ticket
from sla_core.severity import Severity
from sla_core.config import load_config
from sla_core.tickets import InvalidForm, Status, SupportConfig, TicketForm
from sla_core.tickets.intake import validate_form
from sla_core.tickets.queries import TicketParties
from tests.conftest import REPO


@pytest.fixture(scope="module")
def support() -> SupportConfig:
    return load_config(REPO / "app.yaml").support


def text_inputs(view: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for block in view["blocks"]:
        if block.get("type") == "input" and block["element"]["type"] == "plain_text_input":
            yield block["block_id"], block["element"]


@pytest.mark.parametrize("name", sorted(TICKET_FIELDS))
def test_each_tickets_column_holds_what_its_field_accepts(name: str) -> None:
    column_type = Ticket.__table__.c[name].type
    limit = TICKET_FIELDS[name]
    if limit.multiline:
        assert isinstance(column_type, Text)
    else:
        assert isinstance(column_type, String) and not isinstance(column_type, Text)
        assert column_type.length == limit.max_length


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_intake_modal_takes_every_free_text_limit_from_the_declaration(support: SupportConfig,
                                                                          language: str) -> None:
    accounts = list(support.accounts.values())[:2]  # with the account choice too
    inputs = dict(text_inputs(incident_modal(support=support, language=language, accounts=accounts)))
    assert set(inputs) == set(TICKET_FIELDS)
    for name, element in inputs.items():
        assert element["max_length"] == TICKET_FIELDS[name].max_length, name
        assert element["multiline"] is TICKET_FIELDS[name].multiline, name


@pytest.mark.parametrize("action_id", sorted(MODALS))
def test_every_action_modal_text_takes_its_limit_from_the_declaration(action_id: str) -> None:
    parties = TicketParties(ref="INC-2026-000001", title="Login fails", severity=Severity.IMPORTANT,
                            reporter_id="U0ACMEADM", account_id="acme", status=Status.ACKNOWLEDGED)
    inputs = dict(text_inputs(action_modal(MODALS[action_id], parties, "en")))
    assert inputs, "every action modal has a text"
    for block_id, element in inputs.items():
        assert element["max_length"] == ACTION_TEXTS[block_id].max_length, block_id


def test_a_limit_beyond_slacks_own_is_refused() -> None:
    TextLimit(max_length=SLACK_INPUT_MAX)
    with pytest.raises(ValueError, match="3001"):
        TextLimit(max_length=SLACK_INPUT_MAX + 1)


FORM = dict(title="Login fails", description="Every login fails.", category="incident", product_version="5.2",
            language="en", contact_channel="phone", severity="critical", contact_phone="+33 6 12 34 56 78")


@pytest.mark.parametrize("name", sorted(TICKET_FIELDS))
def test_the_domain_takes_a_field_at_its_limit_and_refuses_one_more(name: str, support: SupportConfig) -> None:
    limit = TICKET_FIELDS[name].max_length
    assert getattr(validate_form(TicketForm(**{**FORM, name: "x" * limit}), support), name) == "x" * limit
    with pytest.raises(InvalidForm) as refused:
        validate_form(TicketForm(**{**FORM, name: "x" * (limit + 1)}), support)
    error = refused.value.errors[name]
    assert (error.code, error.params) == ("too_long", {"max": limit, "length": limit + 1})
