"""What the code under test sends to the database, seen from SQLAlchemy's events.

An engine from ``make_engine`` on PostgreSQL sends its single-statement reads (a click's
one row) through a pool of its own (``sla_core.persistence.engine.statement_sources``):
the listeners go on both, and on the reads run through the driver directly
(``sla_core.persistence.row_reads``), or a test would miss exactly the reads it counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from sla_core.persistence import row_reads
from sla_core.persistence.engine import statement_sources


@contextmanager
def watching_statements(engine: Engine, on_statement: Callable[[str], None]) -> Iterator[None]:
    """Calls ``on_statement`` with each statement's SQL, on the thread sending it."""

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        on_statement(statement)

    sources = statement_sources(engine)
    pools = [source.pool for source in sources]

    def seen_directly(reading: Engine, statement: str) -> None:
        if any(reading.pool is pool for pool in pools):
            on_statement(statement)

    for source in sources:
        event.listen(source, "before_cursor_execute", seen)
    row_reads.OBSERVERS.append(seen_directly)
    try:
        yield
    finally:
        row_reads.OBSERVERS.remove(seen_directly)
        for source in sources:
            event.remove(source, "before_cursor_execute", seen)


@contextmanager
def statements_sent(engine: Engine, keep: Callable[[str], bool] = lambda _statement: True) -> Iterator[list[str]]:
    """The SQL of every statement sent while inside (those ``keep`` accepts), in order."""
    sent: list[str] = []
    with watching_statements(engine, lambda statement: sent.append(statement) if keep(statement) else None):
        yield sent
