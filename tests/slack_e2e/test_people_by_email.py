"""People given by e-mail address become Slack users: ``users.lookupByEmail`` against the
fake Slack (Slack's documented answers: the user, with their team for an external member,
or ``users_not_found``), after the ack of the change and again periodically."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.people_lookup import resolve_people
from sla_core.accounts.models import AccountAudit, AccountPerson
from tests.slack_e2e.conftest import ADMIN, HOLDER, LEAD, Desk

CAROL, CAROL_AGAIN = "W0CAROL01", "W0CAROL02"
EXTERNAL_TEAM = "T0ACMECORP"


def person(desk: Desk, email: str) -> AccountPerson | None:
    with Session(desk.ctx.engine) as s:
        return s.scalars(select(AccountPerson).where(AccountPerson.email == email)).one_or_none()


def test_an_end_user_given_by_address_is_found_in_slack_and_redirected(desk: Desk) -> None:
    desk.slack.add_user(CAROL, real_name="carol", locale="en-US", email="Carol@Acme.example", team_id=EXTERNAL_TEAM)
    said = desk.command(LEAD, "account set acme end_user+=<mailto:carol@acme.example|carol@acme.example>")
    assert "changed (1 change)" in said.body["text"]
    found = desk.slack.wait_for(lambda: (p := person(desk, "carol@acme.example")) and p.slack_user_id and p)
    assert (found.slack_user_id, found.slack_team_id) == (CAROL, EXTERNAL_TEAM)
    # Looked up once (app.yaml's people given by address are looked up beside her).
    asked = [c.params.get("email") for c in desk.slack.calls("users.lookupByEmail")]
    assert asked.count("carol@acme.example") == 1
    text = desk.refused_incident(CAROL)  # an end user: told who their administrators are
    assert f"<@{ADMIN}>" in text and f"<@{HOLDER}>" in text


def test_the_mapping_is_kept_current_and_the_change_audited(desk: Desk) -> None:
    desk.slack.add_user(CAROL, real_name="carol", email="carol@acme.example")
    desk.command(LEAD, "account set acme administrator+=carol@acme.example")
    desk.slack.wait_for(lambda: (p := person(desk, "carol@acme.example")) and p.slack_user_id)
    # Carol's old Slack account goes; a new one has her address.
    desk.slack.add_user(CAROL, real_name="carol", email="", deleted=True)
    desk.slack.add_user(CAROL_AGAIN, real_name="carol", email="carol@acme.example")
    assert resolve_people(desk.ctx) == 0  # not due yet: looked up less than a day ago
    desk.clock.now += timedelta(hours=25)
    assert resolve_people(desk.ctx) == 1
    assert person(desk, "carol@acme.example").slack_user_id == CAROL_AGAIN
    with Session(desk.ctx.engine) as s:
        audit = s.scalars(select(AccountAudit).where(AccountAudit.actor == "slack")
                          .order_by(AccountAudit.id)).all()
    assert [(a.old["slack_user_id"], a.new["slack_user_id"]) for a in audit] == [(None, CAROL), (CAROL, CAROL_AGAIN)]
    assert desk.report(CAROL_AGAIN).account_id == "acme"  # the new account is an administrator at once


def test_an_address_slack_does_not_know_is_asked_again_later(desk: Desk) -> None:
    desk.command(LEAD, "account set acme end_user+=nobody@acme.example")
    desk.slack.wait_for(lambda: (p := person(desk, "nobody@acme.example")) and p.resolved_at)
    assert person(desk, "nobody@acme.example").slack_user_id is None
    def asked() -> int:  # app.yaml's people given by address are looked up too: count hers
        return [c.params.get("email") for c in desk.slack.calls("users.lookupByEmail")].count("nobody@acme.example")

    calls = asked()
    resolve_people(desk.ctx)
    assert asked() == calls  # not before a day has passed
    desk.clock.now += timedelta(days=1, minutes=1)
    resolve_people(desk.ctx)
    assert asked() == calls + 1


def test_a_user_change_event_moves_the_address_to_its_new_user_at_once(desk: Desk) -> None:
    desk.command(LEAD, "account set acme end_user+=dora@acme.example")
    desk.slack.wait_for(lambda: (p := person(desk, "dora@acme.example")) and p.resolved_at)  # unknown yet
    event = {"type": "user_change", "event_ts": "1700000000.000200",
             "user": {"id": "W0DORA001", "team_id": EXTERNAL_TEAM, "deleted": False, "is_bot": False,
                      "profile": {"email": "Dora@acme.example", "real_name": "Dora"}}}
    assert desk.sim.event(event).status == 200
    found = desk.slack.wait_for(lambda: (p := person(desk, "dora@acme.example")) and p.slack_user_id and p)
    assert (found.slack_user_id, found.slack_team_id) == ("W0DORA001", EXTERNAL_TEAM)
