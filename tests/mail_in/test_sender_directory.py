"""Who wrote a mail, from the account directory in the database (seeded from app.yaml,
whose acme lists alice@ with her Slack user, holder@ by address only and bob@ as an end
user): the same directory Slack requests read, so a person added later writes at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from sla_core.accounts import changes, directory
from sla_core.accounts.changes import AccountSpec
from sla_core.accounts.people import Person, PersonRole
from sla_core.accounts.seed import ensure_seeded
from sla_core.config import AppConfig
from sla_core.email.directory import DatabaseSenderDirectory
from sla_core.email.incoming import Verdict, decide, mail_actor, parse_mail
from sla_core.persistence.uow import UnitOfWork
from tests.mail_in.conftest import mail

T0 = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/Paris"))


def seeded(app_config: AppConfig, engine: Engine) -> DatabaseSenderDirectory:
    ensure_seeded(engine, app_config.support, now=T0)
    return DatabaseSenderDirectory(engine)


def test_the_directory_knows_addresses_whatever_their_case(app_config: AppConfig, db_engine: Engine) -> None:
    senders = seeded(app_config, db_engine)
    alice = senders.person_by_email("ALICE@Acme.Example")
    assert alice is not None and (alice.role, alice.account_id, alice.slack_user_id) == (
        "administrator", "acme", "U0ACMEADM")
    holder = senders.person_by_email("holder@acme.example")
    assert holder is not None and (holder.role, holder.slack_user_id) == ("administrator", None)
    bob = senders.person_by_email("bob@acme.example")
    assert bob is not None and (bob.role, bob.slack_user_id) == ("end_user", None)
    assert senders.person_by_email("eve@acme.example") is None
    contacts = senders.account_contacts("acme")
    assert contacts is not None and (contacts.name, contacts.active, contacts.administrator_emails) == (
        "ACME Corp", True, ("alice@acme.example", "holder@acme.example"))
    assert senders.account_contacts("nobody") is None


def test_a_mail_actor_is_the_administrator_the_directory_says_that_address_is(
        app_config: AppConfig, db_engine: Engine) -> None:
    seeded(app_config, db_engine)
    with db_engine.connect() as conn:
        holder = directory.accounts_for(conn, mail_actor("Holder@acme.example"))
        bob = directory.accounts_for(conn, mail_actor("bob@acme.example"))
        stranger = directory.accounts_for(conn, mail_actor("eve@acme.example"))
    assert list(holder) == ["acme"] and "mail:holder@acme.example" in holder["acme"].administrators
    # The Slack users are named as before; addresses never appear as someone's Slack id.
    assert holder["acme"].administrators == {"U0ACMEADM", "U0ACMEHLD", "mail:holder@acme.example"}
    assert list(bob) == ["acme"] and bob["acme"].end_users == {"mail:bob@acme.example"}
    assert "mail:bob@acme.example" not in bob["acme"].administrators
    assert stranger == {}


def test_a_person_added_after_the_seed_writes_at_once_and_an_inactive_account_is_answered(
        app_config: AppConfig, db_engine: Engine) -> None:
    senders = seeded(app_config, db_engine)
    with UnitOfWork(db_engine) as uow:
        spec = AccountSpec(id="initech", name="Initech", active=False, people=(
            Person(account_id="initech", role=PersonRole.ADMINISTRATOR, email="peter@initech.example"),))
        changes.apply(uow.session, changes.plan(changes.load(uow.session, ["initech"]), [spec]),
                      actor="operator", now=T0)
        uow.commit()
    decision = decide(parse_mail(mail(sender="peter@initech.example")), directory=senders,
                      reference_prefix="INC", default_severity=app_config.mail_in.default_severity, sent_recently=0,
                      rate_limit=10)
    assert (decision.verdict, decision.answer and decision.answer.value) == (Verdict.ANSWER_SENDER, "inactive")
