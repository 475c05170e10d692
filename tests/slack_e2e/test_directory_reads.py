"""Who is this Slack user: one indexed statement per request, read from the account
directory (never from the configuration), whatever surface the request comes from."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine

from tests.slack_e2e.conftest import ADMIN, AGENT, GOOD_FORM, Desk
from tests.statement_log import statements_sent

_DIRECTORY = re.compile(r"^\s*SELECT\b.*?\b(customer_accounts|account_people)\b", re.IGNORECASE | re.DOTALL)


@contextmanager
def directory_reads(engine: Engine) -> Iterator[list[str]]:
    with statements_sent(engine, keep=lambda statement: bool(_DIRECTORY.match(statement))) as seen:
        yield seen


def test_incident_asks_the_directory_once_for_the_ack_and_the_modal(desk: Desk) -> None:
    with directory_reads(desk.ctx.engine) as reads:
        view = desk.open_incident(ADMIN)
    assert view["callback_id"] == "modal.incident"
    assert len(reads) == 1
    assert "account_people.slack_user_id = " in reads[0]  # by the indexed column


def test_submitting_the_intake_modal_asks_once(desk: Desk) -> None:
    view = desk.open_incident(ADMIN)
    with directory_reads(desk.ctx.engine) as reads:
        response = desk.submit(view, ADMIN, GOOD_FORM)
    assert response.body["response_action"] == "update"
    assert len(reads) == 1


def test_a_customers_button_acting_at_once_asks_once(desk: Desk) -> None:
    ref = desk.report(ADMIN).ref
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": ""})
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "patched"})
    with directory_reads(desk.ctx.engine) as reads:
        assert desk.click(ADMIN, "reporter.accept", ref).status == 200
    assert desk.ticket(ref).status.value == "resolved"
    assert len(reads) == 1
