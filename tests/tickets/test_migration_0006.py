"""Revision 0006 widens ``tickets.contact_phone`` to the modal's 50 characters without
losing a row: on SQLite the table is rebuilt, which with foreign keys on would have
cascaded to every event and outbox row of every ticket."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import Engine, Integer, String, column, func, insert, select, table, update

from sla_core.persistence import make_engine, upgrade_database
from sla_core.persistence.engine import migration_engine
from sla_core.persistence.migrate import alembic_config, check_foreign_keys
from sla_core.persistence.models import Base, Ticket, TicketEvent
from sla_core.persistence.types import JSONPayload, UTCDateTime

AT = datetime(2026, 11, 20, 18, 30, tzinfo=timezone.utc)
# The outbox as revision 0002 made it (the columns a row needs), whatever its model becomes.
OUTBOX = table("outbox", column("id", Integer), column("key", String), column("ticket_id", Integer),
               column("kind", String), column("audience", String), column("payload", JSONPayload),
               column("due_at", UTCDateTime()), column("ready_at", UTCDateTime()), column("status", String),
               column("attempts", Integer), column("created_at", UTCDateTime()))
PHONE_40 = "+33 1 23 45 67 89 (standard, ask for IT)"
PHONE_49 = "+33 1 23 45 67 89 ext. 4321 (ask for the IT desk)"


def _seed_at_0005(engine: Engine) -> None:
    """Two tickets with their events and outbox rows, as revision 0005 stored them (only
    the columns that revision has, so later revisions do not change this picture)."""
    accounts = Base.metadata.tables["customer_accounts"]
    with engine.begin() as conn:
        conn.execute(insert(accounts).values(id="acme", name="ACME Corp", active=True))
        for number, phone in ((1, PHONE_40), (2, None)):
            conn.execute(insert(Ticket.__table__).values(
                id=number, ref=f"INC-2026-00000{number}", reporter_id="U0ACMEADM", account_id="acme",
                title="Login fails", description="Every login fails.", category="incident", product_version="5.2",
                language="en", contact_channel="phone" if phone else "email", contact_phone=phone,
                severity="critical", status="opened", opened_at=AT, updated_at=AT, next_due_at=AT, version=1))
            conn.execute(insert(TicketEvent.__table__).values(
                ticket_id=number, seq=1, actor_id="U0ACMEADM", role="reporter", at=AT, type="opened",
                payload={"severity": "critical"}))
            conn.execute(insert(OUTBOX).values(
                key=f"t{number}:e1:root", ticket_id=number, kind="ticket_root", audience="channel", payload={},
                due_at=AT, ready_at=AT, status="pending", attempts=0, created_at=AT))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
                for t in (Ticket.__table__, TicketEvent.__table__, OUTBOX)}


def _downgrade(url: str, revision: str) -> None:
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def test_upgrading_keeps_every_ticket_event_and_outbox_row_and_takes_the_longer_phone(
        empty_database_url: str) -> None:
    upgrade_database(empty_database_url, "0005")
    engine = make_engine(empty_database_url)
    try:
        _seed_at_0005(engine)
        before = _counts(engine)

        upgrade_database(empty_database_url, "0006")

        assert _counts(engine) == before == {"tickets": 2, "ticket_events": 2, "outbox": 2}
        with engine.begin() as conn:
            assert conn.scalar(select(Ticket.contact_phone).where(Ticket.id == 1)) == PHONE_40
            conn.execute(update(Ticket).where(Ticket.id == 2).values(contact_phone=PHONE_49))
            assert conn.scalar(select(Ticket.contact_phone).where(Ticket.id == 2)) == PHONE_49
        with engine.begin() as conn:  # the foreign keys still hold after the rebuild
            conn.execute(Ticket.__table__.delete().where(Ticket.id == 1))
        assert _counts(engine) == {"tickets": 1, "ticket_events": 1, "outbox": 1}
    finally:
        engine.dispose()


def test_downgrading_refuses_to_cut_a_phone_number_and_otherwise_keeps_every_row(empty_database_url: str) -> None:
    upgrade_database(empty_database_url, "0005")
    engine = make_engine(empty_database_url)
    try:
        _seed_at_0005(engine)
        upgrade_database(empty_database_url, "0006")
        with engine.begin() as conn:
            conn.execute(update(Ticket).where(Ticket.id == 2).values(contact_phone=PHONE_49))

        with pytest.raises(RuntimeError, match="longer in INC-2026-000002"):
            _downgrade(empty_database_url, "0005")

        with engine.begin() as conn:
            conn.execute(update(Ticket).where(Ticket.id == 2).values(contact_phone=PHONE_40))
        _downgrade(empty_database_url, "0005")
        assert _counts(engine) == {"tickets": 2, "ticket_events": 2, "outbox": 2}
    finally:
        engine.dispose()


def test_a_sqlite_migration_that_leaves_orphans_is_not_committed(tmp_path) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / 'orphans.sqlite3'}"
    upgrade_database(url)
    engine = migration_engine(url)  # foreign keys off, as a migration runs
    try:
        with pytest.raises(RuntimeError, match="without their parent"):
            with engine.begin() as conn:
                conn.execute(insert(TicketEvent.__table__).values(
                    ticket_id=99, seq=1, actor_id="U0ACMEADM", role="reporter", at=AT, type="opened", payload={}))
                check_foreign_keys(conn)
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(TicketEvent.__table__)) == 0
    finally:
        engine.dispose()
