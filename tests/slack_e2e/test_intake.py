"""/incident: the intake modal, its inline validation, the confirmation, refusals."""

from __future__ import annotations

from sqlalchemy import func, select

from sla_core.persistence.models import Ticket
from tests.slack_e2e.conftest import ADMIN, END_USER, GOOD_FORM, HOLDER, INACTIVE_ADMIN, Desk, blocks_text


def count_tickets(desk: Desk) -> int:
    with desk.ctx.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Ticket)) or 0)


def test_incident_opens_the_modal_in_the_users_language(desk: Desk) -> None:
    english = desk.open_incident(ADMIN)
    french = desk.open_incident(HOLDER)
    assert english["title"]["text"] == "Report an incident"
    assert french["title"]["text"] == "Signaler un incident"
    language = next(b for b in french["blocks"] if b.get("block_id") == "language")
    assert language["element"]["initial_option"]["value"] == "fr"
    severity = next(b for b in english["blocks"] if b.get("block_id") == "severity")
    assert all(len(o["text"]["text"]) <= 75 and len(o["description"]["text"]) <= 75
               for o in severity["element"]["options"])
    categories = [o["value"] for o in next(b for b in english["blocks"]
                                           if b.get("block_id") == "category")["element"]["options"]]
    assert "api_bug" in categories and "professional_services" in categories


def test_a_bad_submission_shows_every_error_inline_and_stores_nothing(desk: Desk) -> None:
    view = desk.open_incident(ADMIN)
    response = desk.submit(view, ADMIN, {**GOOD_FORM, "title": "", "category": "api_bug", "code_sample": "",
                                         "product_version": "4.9", "contact_phone": ""})
    assert response.status == 200
    assert response.body["response_action"] == "errors"
    errors = response.body["errors"]
    assert set(errors) == {"title", "code_sample", "product_version", "contact_phone"}
    assert "4.9" in errors["product_version"] and "end-of-life" in errors["product_version"]
    assert count_tickets(desk) == 0


def test_an_out_of_scope_category_is_refused_with_the_contracts_reason_in_french(desk: Desk) -> None:
    view = desk.open_incident(HOLDER)
    response = desk.submit(view, HOLDER, {**GOOD_FORM, "category": "professional_services"})
    assert "responsable de compte" in response.body["errors"]["category"]


def test_a_good_submission_confirms_with_ticket_number_targets_and_contacts(desk: Desk) -> None:
    view = desk.open_incident(ADMIN)
    response = desk.submit(view, ADMIN, GOOD_FORM)
    assert response.body["response_action"] == "update"
    confirmation = response.body["view"]
    text = blocks_text(confirmation)
    ref = confirmation["private_metadata"]
    assert ref.startswith("INC-2026-") and ref in text
    assert "<!date^" in text  # SLA targets as date tokens
    assert "0805 69 89 49" in text and "support@trackforce.com" in text  # Critical: phone, email
    assert confirmation["title"]["text"] == "Ticket opened"
    ticket = desk.ticket(ref)
    assert ticket.reporter_id == ADMIN and ticket.severity.value == "critical"


def test_a_double_submission_opens_one_ticket(desk: Desk) -> None:
    view = desk.open_incident(ADMIN)
    first = desk.submit(view, ADMIN, GOOD_FORM)
    second = desk.submit(view, ADMIN, GOOD_FORM)
    assert first.body["view"]["private_metadata"] == second.body["view"]["private_metadata"]
    assert count_tickets(desk) == 1


def test_an_end_user_is_told_their_administrators_and_gets_no_modal(desk: Desk) -> None:
    refusal = desk.refused_incident(END_USER)
    assert f"<@{ADMIN}>" in refusal and f"<@{HOLDER}>" in refusal
    assert desk.slack.views_opened() == [] and desk.slack.calls("views.open") == []


def test_an_inactive_account_is_refused_without_a_modal(desk: Desk) -> None:
    refusal = desk.refused_incident(INACTIVE_ADMIN)
    assert "Globex" in refusal and "not active" in refusal
    assert desk.slack.calls("views.open") == []


def test_help_list_and_status_answer_ephemerally(desk: Desk) -> None:
    assert "/incident list" in desk.command(ADMIN, "help").body["text"]
    unknown = desk.command(ADMIN, "frobnicate").body["text"]
    assert "frobnicate" in unknown and "/incident status" in unknown
    ticket = desk.report(ADMIN)
    listing = desk.command(ADMIN, "list").body
    assert listing["response_type"] == "ephemeral" and ticket.ref in listing["text"] and "<!date^" in listing["text"]
    status = desk.command(HOLDER, f"status {ticket.ref}").body["text"]  # same account, in French
    assert ticket.ref in status and "Rappel" in status
    refused = desk.command(END_USER, f"status {ticket.ref}").body["text"]
    assert "There is no ticket" in refused
    assert desk.command("U0AGENT01", f"status {ticket.ref}").body["text"].startswith(f"*{ticket.ref}*")
