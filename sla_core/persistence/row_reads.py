"""One row by an indexed key, on the hottest path there is (every button click reads the
ticket's row once): the statement's SQL as SQLAlchemy compiles it, run on a pooled
connection through the driver itself.

Deliberately not ``Connection.execute``: for this one-row read SQLAlchemy's execution
context and result machinery cost more CPU than the driver and the database together
(≈65 of 120 µs, measured on PostgreSQL), and under load a click's read is what keeps
our buttons off the floor of a Bolt app that reads nothing. Everything else is still
SQLAlchemy's: the SQL (compiled once per dialect from the Core statement), the pool and
its ping of idle connections (``engine._ping_when_idle``), the dialect's reading of a
lost connection, and each column's conversion from what the driver gives (its type's
``result_processor``, as SQLAlchemy applies it: JSON on SQLite, say). Parameters are
passed as given: only for statements bound to strings and numbers.

What SQLAlchemy's cursor events (``before_cursor_execute``) no longer see, ``OBSERVERS``
do: each is called with the engine and the SQL before the statement runs (tracing; the
tests that count a click's reads, ``tests/statement_log.py``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler


Observer = Callable[[Engine, str], None]
OBSERVERS: list[Observer] = []


def first_row(engine: Engine, statement: Select[Any], params: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The first row ``statement`` selects with ``params`` (its bound values by name), or None."""
    rows = _run(engine, statement, params, first=True)
    return rows[0] if rows else None


def all_rows(engine: Engine, statement: Select[Any], params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Every row ``statement`` selects with ``params``."""
    return _run(engine, statement, params, first=False)


def _run(engine: Engine, statement: Select[Any], params: Mapping[str, Any], *, first: bool) -> list[tuple[Any, ...]]:
    compiled, convert = _compiled(engine.dialect, statement)
    values = compiled.construct_params(dict(params))
    arguments: Any = (tuple(values[name] for name in compiled.positiontup or ())
                      if compiled.positional else values)
    for observe in OBSERVERS:
        observe(engine, compiled.string)
    pooled = engine.raw_connection()
    try:
        cursor = pooled.cursor()
        try:
            cursor.execute(compiled.string, arguments)
            fetched = [cursor.fetchone()] if first else cursor.fetchall()
        finally:
            cursor.close()
    except engine.dialect.loaded_dbapi.Error as error:
        if engine.dialect.is_disconnect(error, pooled.dbapi_connection, None):
            pooled.invalidate(error)  # as SQLAlchemy does: never handed out again
        raise
    finally:
        pooled.close()  # back to the pool
    if not any(convert):
        return [tuple(row) for row in fetched if row is not None]
    return [tuple(value if step is None else step(value) for value, step in zip(row, convert))
            for row in fetched if row is not None]


def _compiled(dialect: Dialect, statement: Select[Any]) -> tuple[SQLCompiler, tuple[Any, ...]]:
    """The statement's SQL and each column's conversion, per kind of dialect (its class and
    parameter style), not per engine: every engine of one kind compiles a statement the
    same. A handful of entries: the hot statements are module constants."""
    key = (type(dialect), dialect.paramstyle, statement)
    found = _COMPILED.get(key)
    if found is None:
        compiled: Any = statement.compile(dialect=dialect)
        convert = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in statement.selected_columns)
        found = _COMPILED[key] = (compiled, convert)
    return found


_COMPILED: dict[tuple[type[Dialect], str, Select[Any]], tuple[SQLCompiler, tuple[Any, ...]]] = {}
