"""A dedicated PostgreSQL schema for one benchmark run: created, migrated to Alembic's
head, and dropped afterwards, whatever happens, so runs never see each other's rows and
never leave tables behind in the shared database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from sqlalchemy.engine import make_url

from sla_core.persistence.engine import normalize_url
from sla_core.persistence.migrate import upgrade_database


@dataclass(frozen=True)
class Scratch:
    schema: str
    url: str  # SQLAlchemy URL whose connections use the schema (search_path)
    conninfo: str  # the same database for psycopg (bulk seeding), schema not set


@contextmanager
def migrated_schema(url: str, prefix: str = "astreinte_bench") -> Iterator[Scratch]:
    base = make_url(normalize_url(url))
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        scratch = Scratch(schema=schema, conninfo=conninfo, url=base.update_query_dict(
            {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False))
        upgrade_database(scratch.url)
        yield scratch
    finally:
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
