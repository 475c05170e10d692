"""``/incident account …`` over signed HTTP: leads manage the customer accounts from
Slack, ephemerally; anyone else is refused; a mistake gets a clear answer; a change made
there is what the next request sees (the directory is read per request)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sla_core.accounts.models import AccountAudit
from tests.slack_e2e.conftest import ADMIN, AGENT, END_USER, HOLDER, LEAD, Desk


def answer(desk: Desk, user: str, text: str) -> str:
    response = desk.command(user, text)
    assert response.status == 200
    assert response.body.get("response_type") == "ephemeral"
    return str(response.body["text"])


def test_a_lead_lists_and_shows_the_accounts_seeded_from_app_yaml(desk_on: Desk) -> None:
    listed = answer(desk_on, LEAD, "account list")
    assert "`acme` ACME Corp — 5 people" in listed and "`globex` Globex _(inactive)_" in listed
    shown = answer(desk_on, LEAD, "account show acme")
    assert "*ACME Corp* (`acme`)" in shown and f"administrator: <@{ADMIN}>" in shown
    assert f"end user: <@{END_USER}>" in shown and "it-ops@acme.example" in shown


def test_only_leads_manage_accounts(desk: Desk) -> None:
    for user in (AGENT, ADMIN):
        assert answer(desk, user, "account list") == "Only support leads can manage customer accounts."
    assert "Seuls les responsables" in answer(desk, HOLDER, "compte list")  # a French user, the alias


def test_a_lead_adds_an_account_and_its_administrator_can_open_a_ticket_at_once(desk: Desk) -> None:
    newcomer = "U0UMBADM1"
    desk.slack.add_user(newcomer, real_name="alice", locale="en-US")
    # Refused after the ack, when Slack has had time to say which language is theirs.
    assert "Only administrators of a customer account" in desk.refused_incident(newcomer)
    assert "Account `umbrella` added" in answer(desk, LEAD, "account add umbrella Umbrella Corp")
    said = answer(desk, LEAD, f'account set umbrella administrator+=<@{newcomer}|alice> '
                              'channel+=<#C0UMBSHARE|umbrella-support> '
                              'contacts=<mailto:it@umbrella.example|it@umbrella.example> '
                              'name="Umbrella Corporation"')
    assert "Account `umbrella` changed (3 changes)" in said
    shown = answer(desk, LEAD, "account show umbrella")
    assert "*Umbrella Corporation*" in shown and f"administrator: <@{newcomer}>" in shown
    assert "<#C0UMBSHARE>" in shown and "it@umbrella.example" in shown
    assert desk.report(newcomer).account_id == "umbrella"  # no restart: the next request reads it
    with Session(desk.ctx.engine) as s:
        assert set(s.scalars(select(AccountAudit.actor).where(AccountAudit.account_id == "umbrella"))) == {LEAD}


def test_a_deactivated_account_is_refused_at_the_next_incident(desk: Desk) -> None:
    assert "deactivated" in answer(desk, LEAD, "account deactivate acme")
    assert "ACME Corp is not active" in desk.refused_incident(ADMIN)


def test_mistakes_get_a_clear_private_answer(desk: Desk) -> None:
    assert "There is no account `nope`" in answer(desk, LEAD, "account show nope")
    assert "already exists" in answer(desk, LEAD, "account add acme")
    assert "is not a channel id" in answer(desk, LEAD, "account set acme channel+=general")
    assert "is not an e-mail address" in answer(desk, LEAD, "account set acme end_user+=bob@nowhere")
    assert "Usage (leads)" in answer(desk, LEAD, "account frobnicate")
    assert "Usage (leads)" in answer(desk, LEAD, "account set acme colour=red")
    assert "Usage (leads)" in answer(desk, LEAD, 'account set acme name="unclosed')
    assert "Nothing to change" in answer(desk, LEAD, "account set acme name=\"ACME Corp\"")
