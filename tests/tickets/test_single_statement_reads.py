"""The one-row read behind every button click (``ticket_parties``) runs outside any
transaction: it must not queue behind a writer, and the connection it used must come back
to the pool able to hold a real transaction again."""

from __future__ import annotations

import gc
import time
import weakref

import pytest
from sqlalchemy import update

from sla_core.persistence.engine import make_engine
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
