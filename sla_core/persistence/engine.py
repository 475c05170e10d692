"""Where the database is and how to connect to it.

The domain takes a URL as an argument; only ``database_url_from_env`` reads the
environment, and only the command line calls it."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 10_000
SINGLE_STATEMENT = "astreinte_single_statement"
# A pooled PostgreSQL connection back in the pool for longer than this is pinged before
# it is handed out again; one used more recently is taken as alive (see _ping_when_idle).
PING_AFTER_IDLE_SECONDS = 10.0


def default_sqlite_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/astreinte/astreinte.sqlite3``, else
    ``~/.local/share/astreinte/astreinte.sqlite3`` (the XDG default)."""
    data_home = environ.get("XDG_DATA_HOME") or ""
    base = Path(data_home) if data_home.strip() else Path(environ.get("HOME") or Path.home()) / ".local" / "share"
    return base / "astreinte" / "astreinte.sqlite3"


def database_url_from_env(environ: Mapping[str, str]) -> str:
    """``DATABASE_URL`` (normalised) or the default SQLite file's URL."""
    url = (environ.get("DATABASE_URL") or "").strip()
    if url:
        return normalize_url(url)
    return f"sqlite+pysqlite:///{default_sqlite_path(environ)}"


def normalize_url(url: str) -> str:
    """Accept what hosting platforms hand out (``postgres://``, ``postgresql://``) and
    point it at psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(normalize_url(url)).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``. SQLite gets foreign keys, WAL, a busy timeout and
    ``BEGIN IMMEDIATE`` transactions (see ``_sqlite_setup``)."""
    url = normalize_url(url)
    if not is_sqlite(url):
        engine = create_engine(url, **kwargs)
        _ping_when_idle(engine)
        # Single-statement reads (every button click's one row) get a pool of their own
        # whose connections stay in autocommit: switching a pooled connection into
        # autocommit and back on every read cost ≈45 µs of CPU, a third of the read.
        reads = create_engine(url, isolation_level="AUTOCOMMIT", **kwargs)
        _ping_when_idle(reads)
        setattr(engine, _READS_ENGINE, reads)
        event.listen(engine, "engine_disposed", lambda _connection: reads.dispose())
        return engine
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
    _sqlite_setup(engine)
    return engine


def migration_engine(url: str) -> Engine:
    """An engine for running migrations. On SQLite, foreign keys are off: a batch
    migration rebuilds a table by copying it and dropping the old one, and with foreign
    keys on that DROP would cascade to every row referring to it (a ticket's events, its
    outbox rows). SQLite honours the pragma only outside a transaction, hence at connect;
    ``sla_core.persistence.migrate`` checks the keys before committing instead."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:  # after _sqlite_setup's
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.close()
    return engine


def single_statement_reads(engine: Engine) -> Engine:
    """``engine`` for ONE read-only statement outside any transaction (a single statement
    sees one snapshot anyway). PostgreSQL: autocommit, so no BEGIN and ROLLBACK round
    trips. SQLite: our ``BEGIN IMMEDIATE`` is skipped, so a read never waits for the write
    lock; with the driver's own transaction handling off (``_sqlite_setup``) the statement
    is its own transaction, and later units of work on the connection still BEGIN IMMEDIATE."""
    reads: Engine | None = getattr(engine, _READS_ENGINE, None)
    if reads is None:  # SQLite, or a PostgreSQL engine not made by make_engine
        # Built once per engine and kept on it: each execution_options() call copies the
        # engine's option machinery (≈0.15 ms of CPU, a fifth of a button's one-row read,
        # measured). On the engine itself, not in a weak mapping, because the derived engine
        # refers to its parent: it would keep every engine alive.
        options = {SINGLE_STATEMENT: True} if engine.dialect.name == "sqlite" else {"isolation_level": "AUTOCOMMIT"}
        reads = engine.execution_options(**options)
        setattr(engine, _READS_ENGINE, reads)
    return reads


def statement_sources(engine: Engine) -> tuple[Engine, ...]:
    """``engine`` and, when it has a pool of its own, the one its single-statement reads
    go through: where a listener must be attached to see every statement."""
    reads = single_statement_reads(engine)
    return (engine,) if reads.pool is engine.pool else (engine, reads)


_READS_ENGINE = "_astreinte_single_statement_engine"
_LAST_CHECKED_IN = "astreinte_last_checked_in"


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before reuse only when it sat idle for a while.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one more round trip to the
    server on every click's read (≈70 µs of our CPU, and the server's). A connection
    that went back to the pool moments ago is alive unless the server restarted in
    between; then its first statement fails and the connection is dropped (SQLAlchemy
    drops the whole pool; ``row_reads`` that connection), and that one request gets our
    usual error answer (a click) or is retried (the outbox, the tick). A connection idle past ``PING_AFTER_IDLE_SECONDS`` (what a firewall or the
    server's idle timeout may have cut) is pinged with the dialect's own ping, and a dead
    one is replaced before use (``DisconnectionError``: the pool retries the checkout).
    The pool's own monotonic clock, not the domain's time: nothing here is an SLA instant."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_LAST_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_LAST_CHECKED_IN)
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return  # new, or back in the pool a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - whatever the driver raises for a dead link
            raise exc.DisconnectionError("pooled connection failed its ping") from error


def _sqlite_setup(engine: Engine) -> None:
    # SQLite has one writer. A deferred transaction that reads then writes can fail at
    # once with "database is locked" (the busy handler cannot help a lock upgrade), so
    # every transaction takes the write lock up front and waits its turn instead. The
    # driver's own transaction handling is switched off so that our BEGIN is the one used.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(SINGLE_STATEMENT):
            return  # single_statement_reads(): the statement is its own transaction
        connection.exec_driver_sql("BEGIN IMMEDIATE")
