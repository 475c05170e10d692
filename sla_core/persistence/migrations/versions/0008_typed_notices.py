"""Typed notices: the monthly summaries decided get their own table, and the outbox rows
written before are converted to the typed shape (``sla_core.outbox.codec``) so that what
was still pending is delivered after the upgrade.

What changes in a row:
- ``audience`` holds the address: ``thread`` (or ``thread:broadcast``), ``root``,
  ``severity_channel[:<severity>]``, ``rung:leads|on_call``, ``dm:<user>``, ``reporter``,
  ``announcements:<announcements|leads>[:<channel id>]`` (instead of an audience plus the
  ``rung``, ``channel``, ``user_id`` and ``broadcast`` keys of the payload);
- ``announcement`` rows become ``maintenance``, ``availability`` or ``monthly_summary``
  (told apart, once, by the keys they carry);
- the payload keeps its kind's fields only (the English ``text`` goes: messages/ says it).

The conversion is written out here, not imported: a migration must keep meaning what it
meant when it was written. Rows of a shape we never wrote are left as they are (the
sender then fails them visibly rather than guessing).

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_outbox = sa.table(
    "outbox", sa.column("id", sa.Integer()), sa.column("key", sa.String()), sa.column("kind", sa.String()),
    sa.column("audience", sa.String()), sa.column("payload", _JSON), sa.column("due_at", _INSTANT),
    sa.column("created_at", _INSTANT),
)
_EVENT_KINDS = ("ticket_opened", "root_refresh", "ticket_event", "reporter_receipt", "reporter_event")
_FIELDS = {
    "reminder": ("clock", "due", "agent", "snoozed"),
    "at_risk": ("clock", "due"),
    "breach": ("clock", "due", "level", "repeat", "limit"),
    "page": ("reason", "users", "usergroup", "repeat", "clock", "due", "level"),
}


def _pick(payload: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {n: payload[n] for n in names if payload.get(n) is not None}


def _announcement(channel: object, otherwise: str) -> str:
    return f"announcements:{otherwise}" + (f":{channel}" if channel else "")


def convert(kind: str, audience: str, payload: Mapping[str, Any], *, due_at: str) -> tuple[str, str, dict[str, Any]] | None:
    """A row of revision 0005's shape in the typed shape; None when it is not one we wrote."""
    p = payload
    if kind in _EVENT_KINDS:
        address = {"severity_channel": "severity_channel", "root": "root", "thread": "thread",
                   "reporter": "reporter"}.get(audience)
        return (kind, address, _pick(p, "ref", "seq", "event")) if address else None
    if kind == "severity_moved":
        severity = p.get("severity")
        return kind, f"severity_channel:{severity}" if severity else "severity_channel", \
            _pick(p, "ref", "seq", "event", "severity")
    if kind in _FIELDS:
        if audience == "thread":
            address = "thread:broadcast" if p.get("broadcast") else "thread"
        elif audience == "user":
            address = f"dm:{p.get('user_id')}"
        elif audience == "channel":
            address = f"rung:{p.get('rung')}"
        else:
            return None
        return kind, address, _pick(p, "ref", "severity", "instant", "late", *_FIELDS[kind])
    if kind == "digest":
        where, _, name = str(p.get("channel_of") or "").partition(":")
        address = {"severity": f"severity_channel:{name}", "rung": f"rung:{name}", "user": f"dm:{name}"}.get(where)
        items = [{**_pick(i, "ref", "kind", "clock", "instant"), "late": bool(i.get("late"))} for i in p.get("items", [])]
        return (kind, address, {"items": items}) if address else None
    if kind == "announcement":
        if p.get("maintenance_id") is not None:
            return "maintenance", _announcement(p.get("channel"), "announcements"), _pick(
                p, "event", "maintenance_id", "service", "starts_at", "ends_at", "critical_fixes", "reason")
        if p.get("threshold") is not None:
            return "availability", _announcement(p.get("channel"), "leads"), _pick(
                p, "threshold", "service", "availability", "budget_left_minutes", "budget_minutes", "window_start",
                "window_end")
        if p.get("month"):
            return "monthly_summary", _announcement(p.get("channel"), "leads"), {
                **_pick(p, "month", "breaches", "availability"), "due": due_at, "late": False}
    return None


def upgrade() -> None:
    op.create_table(
        "monthly_summaries",
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("decided_at", _INSTANT, nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("outbox_key", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("month", name="pk_monthly_summaries"),
    )
    connection = op.get_bind()
    summaries = sa.table("monthly_summaries", sa.column("month", sa.String()), sa.column("decided_at", _INSTANT),
                         sa.column("late", sa.Boolean()), sa.column("outbox_key", sa.String()))
    changes: list[dict[str, Any]] = []
    decided: list[dict[str, Any]] = []
    rows = connection.execute(sa.select(_outbox.c.id, _outbox.c.key, _outbox.c.kind, _outbox.c.audience,
                                        _outbox.c.payload, _outbox.c.due_at, _outbox.c.created_at))
    for row in rows:
        converted = convert(row.kind, row.audience, row.payload or {}, due_at=_iso(row.due_at))
        if converted is None:
            continue
        kind, address, payload = converted
        changes.append({"row_id": row.id, "new_kind": kind, "new_audience": address, "new_payload": payload})
        if kind == "monthly_summary" and row.key.startswith("report:"):
            decided.append({"month": row.key.removeprefix("report:"), "decided_at": row.created_at, "late": False,
                            "outbox_key": row.key})
    if changes:
        connection.execute(
            _outbox.update().where(_outbox.c.id == sa.bindparam("row_id"))
            .values(kind=sa.bindparam("new_kind"), audience=sa.bindparam("new_audience"),
                    payload=sa.bindparam("new_payload", type_=_JSON)), changes)
    if decided:
        connection.execute(summaries.insert(), decided)


def _iso(instant: Any) -> str:
    text: str = instant.isoformat()
    return text if instant.tzinfo is not None else text + "+00:00"  # SQLite hands naive UTC back


def downgrade() -> None:
    # Typed rows are not turned back: a downgrade is for an empty outbox (drain it first).
    op.drop_table("monthly_summaries")
