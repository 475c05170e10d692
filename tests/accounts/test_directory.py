"""The directory in the database: seeded once from app.yaml, read per request in one
indexed statement, changed without a restart, every change audited."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from sla_core.accounts import manage
from sla_core.accounts.directory import person_by_email, person_by_slack_user, support_for
from sla_core.accounts.manage import AccountError, PersonChange
from sla_core.accounts.models import AccountAudit, AccountPerson, CustomerAccount
from sla_core.accounts.people import PersonRole
from sla_core.accounts.seed import seed
from sla_core.persistence.engine import make_engine, single_statement_reads
from sla_core.persistence.uow import UnitOfWork
from sla_core.tickets import OutOfScope, PermissionDenied, service
from tests.accounts.conftest import NOW
from tests.statement_log import statements_sent
from tests.tickets.conftest import ADMIN, END_USER, OTHER_ADMIN, REPORTER, STRANGER, T0, a_form

_DIRECTORY = re.compile(r"\b(customer_accounts|account_people)\b", re.IGNORECASE)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    with statements_sent(engine) as seen:
        yield seen


def test_the_first_start_copies_app_yaml_once(db_engine, support) -> None:
    assert seed(db_engine, support, now=NOW) is True
    assert seed(db_engine, replace(support, accounts={}), now=NOW) is False  # a later start copies nothing
    with Session(db_engine) as s:
        assert sorted(s.scalars(select(CustomerAccount.id))) == ["acme", "globex", "initech"]
        people = {(p.account_id, p.slack_user_id, p.role) for p in s.scalars(select(AccountPerson))}
    assert ("acme", END_USER, "end_user") in people and ("acme", ADMIN, "administrator") in people


def test_two_replicas_starting_together_seed_once(database_url, support) -> None:
    engines = [make_engine(database_url), make_engine(database_url)]
    results: list[bool] = []
    barrier = threading.Barrier(2)

    def start(engine: Engine) -> None:
        barrier.wait()
        results.append(seed(engine, support, now=NOW))

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert sorted(results) == [False, True]
        with Session(engines[0]) as s:
            assert s.scalar(select(AccountAudit.id).where(AccountAudit.subject == "account")
                            .where(AccountAudit.account_id == "acme").limit(2).order_by(AccountAudit.id)) is not None
            added = list(s.scalars(select(AccountAudit.account_id).where(AccountAudit.subject == "account")))
            assert sorted(added) == ["acme", "globex", "initech"]  # each account added once
    finally:
        for e in engines:
            e.dispose()


def test_who_a_user_is_is_one_indexed_statement(seeded, support) -> None:
    with statements(seeded) as seen, seeded.connect() as conn:
        view = support_for(conn, support, END_USER, account_id="initech")
    assert len([s for s in seen if _DIRECTORY.search(s)]) == 1
    assert view.end_user_accounts(END_USER)[0].administrators == {REPORTER, ADMIN}
    assert view.accounts["initech"].name == "Initech" and not view.administered_by(END_USER)


def test_a_read_outside_any_transaction_sees_what_a_session_sees(seeded, support) -> None:
    # The requests' read goes through the driver (row_reads); a service's, through its session.
    with Session(seeded) as session:
        manage.change_account(session, account_id="acme", contact_emails=("it-ops@acme.example", "cto@acme.example"),
                              actor="U0LEAD", now=NOW)
        session.commit()
    for user, account in ((ADMIN, None), (END_USER, "initech"), ("U0NOBODY", "acme")):
        with Session(seeded) as session:
            expected = support_for(session, support, user, account_id=account).accounts
        direct = support_for(single_statement_reads(seeded), support, user, account_id=account).accounts
        assert direct == expected
    assert direct["acme"].contact_emails == ("it-ops@acme.example", "cto@acme.example")  # JSON, decoded


def test_the_lookup_uses_the_people_index_on_postgresql(seeded, support) -> None:
    if seeded.dialect.name != "postgresql":
        pytest.skip("EXPLAIN's wording is PostgreSQL's")
    with seeded.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table: ask what it would use at scale
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(
            "EXPLAIN SELECT account_id FROM account_people WHERE slack_user_id = 'UENDUSER'"))
    assert "ix_account_people_slack_user" in plan


def test_a_change_is_seen_at_the_next_request_without_a_restart(seeded, support, policy) -> None:
    uow = UnitOfWork(seeded)
    assert service.open_ticket(uow, policy=policy, support=support, reporter_id=ADMIN, form=a_form(),
                               idempotency_key=None, now=T0).account_id == "acme"
    with Session(seeded) as s, s.begin():
        manage.change_account(s, account_id="acme", active=False, actor="ULEAD1", now=NOW)
    with pytest.raises(OutOfScope) as refused:
        service.open_ticket(uow, policy=policy, support=support, reporter_id=ADMIN, form=a_form(),
                            idempotency_key=None, now=T0)
    assert refused.value.code == "account_inactive"
    with Session(seeded) as s, s.begin():  # the stranger becomes Initech's administrator
        manage.change_account(s, account_id="initech",
                              people=[PersonChange(who=STRANGER, role=PersonRole.ADMINISTRATOR)],
                              actor="ULEAD1", now=NOW)
    assert service.open_ticket(uow, policy=policy, support=support, reporter_id=STRANGER, form=a_form(),
                               idempotency_key=None, now=T0).account_id == "initech"


def test_an_end_user_is_told_the_administrators_the_directory_has_now(seeded, support, policy) -> None:
    with Session(seeded) as s, s.begin():
        manage.change_account(s, account_id="acme", people=[PersonChange(who=REPORTER, role=None)],
                              actor="ULEAD1", now=NOW)
    with pytest.raises(PermissionDenied) as refused:
        service.open_ticket(UnitOfWork(seeded), policy=policy, support=support, reporter_id=END_USER,
                            form=a_form(), idempotency_key=None, now=T0)
    assert refused.value.params["administrators"] == [ADMIN]


def test_every_change_is_audited_with_who_when_and_old_and_new(seeded) -> None:
    with Session(seeded) as s, s.begin():
        manage.change_account(s, account_id="initech", name="Initech SA", actor="ULEAD1", now=NOW)
    with Session(seeded) as s:
        row = s.scalars(select(AccountAudit).where(AccountAudit.actor == "ULEAD1")).one()
    assert (row.account_id, row.subject, row.change, row.at) == ("initech", "account", "changed", NOW)
    assert (row.old, row.new) == ({"name": "Initech"}, {"name": "Initech SA"})


def test_people_by_e_mail_and_by_slack_user(seeded) -> None:
    with Session(seeded) as s, s.begin():
        manage.change_account(s, account_id="initech", people=[
            PersonChange(who="Ops@Initech.example", role=PersonRole.ACCOUNT_HOLDER, slack_team_id="T0INITECH")],
            actor="ULEAD1", now=NOW)
    with Session(seeded) as s:
        holder = person_by_email(s, "ops@INITECH.example")
        assert holder is not None and (holder.account_id, holder.role) == ("initech", PersonRole.ACCOUNT_HOLDER)
        assert person_by_email(s, "nobody@example.com") is None
        admin = person_by_slack_user(s, OTHER_ADMIN)
        assert admin is not None and admin.account_id == "initech" and admin.administers
        assert person_by_slack_user(s, OTHER_ADMIN, team_id="T0OTHER") is not None  # no team recorded: any
        assert person_by_slack_user(s, STRANGER) is None


@pytest.mark.parametrize(("change", "code"), [
    ({"account_id": "nope"}, "account_not_found"),
    ({"account_id": "acme", "add_channels": ["general"]}, "account_input_invalid"),
    ({"account_id": "acme", "slack_team_id": "acme"}, "account_input_invalid"),
    ({"account_id": "acme", "contact_emails": ["not an address"]}, "account_input_invalid"),
    ({"account_id": "acme", "people": [PersonChange(who="u12", role=PersonRole.END_USER)]}, "account_input_invalid"),
    ({"account_id": "acme", "people": [PersonChange(who="UNOBODY", role=None)]}, "person_not_found"),
])
def test_bad_changes_are_refused_and_write_nothing(seeded, change, code) -> None:
    with Session(seeded) as s, s.begin(), pytest.raises(AccountError) as refused:
        manage.change_account(s, actor="ULEAD1", now=NOW, **change)
    assert refused.value.code == code
    with Session(seeded) as s:
        assert s.scalar(select(AccountAudit.id).where(AccountAudit.actor == "ULEAD1")) is None


def test_a_shared_channel_belongs_to_one_account(seeded) -> None:
    with Session(seeded) as s, s.begin():
        manage.change_account(s, account_id="acme", add_channels=["C0ACMESHARE"], actor="ULEAD1", now=NOW)
    with Session(seeded) as s, s.begin(), pytest.raises(AccountError) as refused:
        manage.change_account(s, account_id="initech", add_channels=["C0ACMESHARE"], actor="ULEAD1", now=NOW)
    assert refused.value.code == "channel_taken" and refused.value.params["account"] == "acme"


def test_an_account_id_is_taken_once(seeded) -> None:
    with Session(seeded) as s, s.begin(), pytest.raises(AccountError) as refused:
        manage.add_account(s, account_id="acme", name="Again", actor="ULEAD1", now=NOW)
    assert refused.value.code == "account_exists"
