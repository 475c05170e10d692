"""Every free-text field at its limit, and one character over, through the served app on
SQLite and PostgreSQL: at the limit the text is stored whole, one over is refused inline
under that field, and nothing is stored (never a database error behind an error id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.rendering import action_ids as ids
from sla_core.tickets.actions import Action, Surface, button_id
from sla_core.field_limits import ACTION_TEXTS, TICKET_FIELDS
from sla_core.persistence.models import Ticket
from sla_core.tickets import Status
from tests.slack_e2e.conftest import ADMIN, AGENT, GOOD_FORM, Desk

# The phone number of the report: 49 characters, refused by a 40-character column.
LONG_PHONE = "+33 1 23 45 67 89 ext. 4321 (ask for the IT desk)"


def text_of(length: int, start: str = "a") -> str:
    """``length`` characters of readable text with a few accents, no spaces at the ends."""
    return (start + "é" + "bcdefghij" * (length // 9 + 1))[:length]


def at_limit(name: str, extra: int = 0) -> str:
    return text_of(TICKET_FIELDS[name].max_length + extra, start=name[0])


def count_tickets(desk: Desk) -> int:
    with desk.ctx.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Ticket)) or 0)


def test_the_reported_phone_number_opens_a_ticket(desk_on: Desk) -> None:
    ticket = desk_on.report(ADMIN, contact_phone=LONG_PHONE)
    assert ticket.contact_phone == LONG_PHONE


def test_every_form_field_at_its_limit_is_stored_whole(desk_on: Desk) -> None:
    typed = {name: at_limit(name) for name in TICKET_FIELDS}
    ticket = desk_on.report(ADMIN, **typed)
    assert {name: getattr(ticket, name) for name in TICKET_FIELDS} == typed


def test_every_form_field_one_character_over_is_refused_inline_and_nothing_is_stored(desk_on: Desk) -> None:
    view = desk_on.open_incident(ADMIN)
    response = desk_on.submit(view, ADMIN, {**GOOD_FORM, **{name: at_limit(name, 1) for name in TICKET_FIELDS}})
    assert response.status == 200
    assert response.body["response_action"] == "errors"
    errors = response.body["errors"]
    assert set(errors) == set(TICKET_FIELDS)
    for name, limit in TICKET_FIELDS.items():
        assert errors[name] == f"At most {limit.max_length} characters; this has {limit.max_length + 1}."
    assert count_tickets(desk_on) == 0


def test_a_french_reporter_reads_the_limit_in_french(desk_on: Desk) -> None:
    from tests.slack_e2e.conftest import HOLDER

    view = desk_on.open_incident(HOLDER)
    response = desk_on.submit(view, HOLDER, {**GOOD_FORM, "contact_phone": LONG_PHONE + "12"})
    assert response.body["errors"] == {"contact_phone": "50 caractères au plus ; celui-ci en compte 51."}


# Every action modal with a text, in an order a ticket can go through: (who, button,
# other values, the text's block). Each is first submitted one character over (refused,
# the modal stays with its input), then at the limit (accepted, logged whole).
JOURNEY: list[tuple[str, str, dict[str, str], str]] = [
    (AGENT, ids.TICKET_ACKNOWLEDGE, {"channel": "phone"}, "note"),
    (AGENT, ids.TICKET_UPDATE, {}, "text"),
    (AGENT, ids.TICKET_NOTE, {}, "text"),
    (AGENT, ids.TICKET_SEVERITY, {"severity": "important"}, "reason"),
    (AGENT, button_id(Action.SET_WAITING_ON_CUSTOMER, Surface.ROOT), {}, "question"),
    (AGENT, button_id(Action.CUSTOMER_REPLIED, Surface.ROOT), {}, "text"),
    (AGENT, ids.TICKET_PROPOSE, {"kind": "fix"}, "text"),
    (ADMIN, ids.REPORTER_REJECT, {}, "reason"),
    (AGENT, ids.TICKET_PROPOSE, {"kind": "workaround"}, "text"),
]


def test_every_action_text_one_over_is_refused_inline_and_at_its_limit_is_logged_whole(desk_on: Desk) -> None:
    ref = desk_on.report(ADMIN).ref
    for user, action_id, values, block in [*JOURNEY, (AGENT, button_id(Action.REOPEN, Surface.ROOT), {}, "reason")]:
        if action_id == button_id(Action.REOPEN, Surface.ROOT):
            assert desk_on.click(ADMIN, ids.REPORTER_ACCEPT, ref).status == 200
            assert desk_on.ticket(ref).status is Status.RESOLVED
        limit = ACTION_TEXTS[block].max_length
        logged = len(desk_on.ticket(ref).events)
        view = _open(desk_on, user, action_id, ref)
        assert _element(view, block)["max_length"] == limit

        over = desk_on.submit(view, user, {**values, block: text_of(limit + 1)})
        assert over.body == {"response_action": "errors", "errors": {
            block: f"At most {limit} characters fit here; this text has {limit + 1}: shorten it."}}, action_id
        assert len(desk_on.ticket(ref).events) == logged

        fits = desk_on.submit(view, user, {**values, block: text_of(limit)})
        assert fits.status == 200 and not fits.body, (action_id, fits.body)
        event = desk_on.ticket(ref).events[-1]
        assert event.payload[block] == text_of(limit), action_id
    assert desk_on.ticket(ref).status is Status.IN_PROGRESS  # reopened


def _open(desk: Desk, user: str, action_id: str, ref: str) -> dict[str, Any]:
    before = len(desk.slack.views_opened())
    assert desk.click(user, action_id, ref).status == 200
    return desk.wait_for_view(before)


def _element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b["element"] for b in view["blocks"] if b.get("block_id") == block_id)
