"""The one-row read behind every button click (``ticket_parties``) runs outside any
transaction: it must not queue behind a writer, and the connection it used must come back
to the pool able to hold a real transaction again."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text, update

import sla_core.persistence.engine as engine_module
from sla_core.persistence.engine import make_engine, single_statement_reads, statement_sources
from sla_core.persistence.models import Ticket
from sla_core.persistence.uow import UnitOfWork
from sla_core.tickets.queries import ticket_parties
from tests.tickets.helpers import open_one


def test_a_click_reads_the_ticket_while_another_transaction_is_writing_it(database_url, policy, support) -> None:
    engine = make_engine(database_url)
    writer_engine = make_engine(database_url)
    try:
        ref = open_one(UnitOfWork(engine), policy=policy, support=support).ref
        with UnitOfWork(writer_engine) as writing:  # SQLite: holds the write lock; PostgreSQL: the row lock
            writing.session.execute(update(Ticket).where(Ticket.ref == ref).values(title="Renamed, not committed"))
            writing.session.flush()
            started = time.monotonic()
            parties = ticket_parties(UnitOfWork(engine), ticket_ref=ref)
            waited = time.monotonic() - started
        assert parties.title == "Login page returns 500"  # the committed state, not the pending one
        assert waited < 2.0  # not the 10 s busy timeout of a reader asking for the write lock
    finally:
        engine.dispose()
        writer_engine.dispose()


def test_after_reads_the_same_connection_still_rolls_a_failed_change_back(database_url, policy, support) -> None:
    # One pooled connection, so the unit of work gets the very connection the reads used.
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        ref = open_one(UnitOfWork(engine), policy=policy, support=support).ref
        for _ in range(3):
            ticket_parties(UnitOfWork(engine), ticket_ref=ref)
        with pytest.raises(RuntimeError), UnitOfWork(engine) as uow:
            uow.session.execute(update(Ticket).where(Ticket.ref == ref).values(title="Half-done change"))
            uow.session.flush()
            raise RuntimeError("the service fails after writing")
        assert ticket_parties(UnitOfWork(engine), ticket_ref=ref).title == "Login page returns 500"
    finally:
        engine.dispose()



def test_an_engine_that_did_single_statement_reads_is_freed_once_given_up(database_url, policy, support) -> None:
    # The read's engine is derived once and kept (it is costly to derive on every click);
    # a process that replaces its engine, as the tests and the CLI do, must not leak the old one.
    engine = make_engine(database_url)
    ref = open_one(UnitOfWork(engine), policy=policy, support=support).ref
    assert ticket_parties(UnitOfWork(engine), ticket_ref=ref).ref == ref
    engine.dispose()
    given_up = weakref.ref(engine)
    del engine
    gc.collect()
    assert given_up() is None


def _kill_backend(database_url: str, pid: int) -> None:
    """What a server restart, a failover or a firewall's idle timeout does to one pooled connection."""
    killer = create_engine(database_url)
    try:
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            connection.commit()
    finally:
        killer.dispose()


def _backend_of_pooled_read(engine: Engine) -> int:
    with single_statement_reads(engine).connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.fixture
def cut(database_url, policy, support) -> Iterator[tuple[Engine, str]]:
    """A one-connection engine and a ticket, the connection its reads use cut by the server."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to lose")
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        ref = open_one(UnitOfWork(engine), policy=policy, support=support).ref
        _kill_backend(database_url, _backend_of_pooled_read(engine))
        yield engine, ref
    finally:
        engine.dispose()


def test_a_connection_cut_while_idle_is_replaced_before_a_click_uses_it(cut, monkeypatch) -> None:
    engine, ref = cut
    # The pooled connection has been idle past the threshold: it is pinged, found dead
    # and replaced, and the click's read never sees the cut.
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert ticket_parties(UnitOfWork(engine), ticket_ref=ref).ref == ref


def test_a_connection_cut_moments_after_use_fails_one_read_and_the_pool_recovers(cut, monkeypatch) -> None:
    # The price of pinging only idle connections, written down: when the server drops a
    # connection used a moment ago, the next statement on it fails once (the click is
    # answered with our error message); the connection is then dropped and the next read works.
    engine, ref = cut
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 3600.0)
    with pytest.raises(engine.dialect.loaded_dbapi.OperationalError):
        ticket_parties(UnitOfWork(engine), ticket_ref=ref)
    assert ticket_parties(UnitOfWork(engine), ticket_ref=ref).ref == ref


def test_disposing_an_engine_closes_the_pool_of_its_reads_too(database_url, policy, support) -> None:
    engine = make_engine(database_url)
    ref = open_one(UnitOfWork(engine), policy=policy, support=support).ref
    ticket_parties(UnitOfWork(engine), ticket_ref=ref)
    engine.dispose()
    for source in statement_sources(engine):
        assert source.pool.checkedin() == 0  # nothing left connected to the server
