"""Outbox rows written before the typed notices (revision 0005's shape: an audience plus
``rung``/``channel``/``user_id``/``broadcast`` keys, ``announcement`` told apart by its
keys) are converted by migration 0008 and delivered by the real sender to the fake Slack,
each where it was meant to go; the summary already decided is recorded in its table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, MetaData, Table, insert, select

from sla_core.config import AppConfig
from sla_core.outbox import store
from sla_core.persistence.engine import make_engine
from sla_core.persistence.migrate import upgrade_database
from sla_core.reports.models import MonthlySummaryRow
from tests.delivery.conftest import CRITICAL_CHANNEL, REPORTER, T0, World, texts, world_at

LEADS, ON_CALL, NEWS = "C0SUPLEAD", "C0ONCALL0", "C0SUPNEWS"
ONCALL_USER = "U0ONCALL1"


def old_rows(ref: str, ticket_id: int) -> list[dict[str, Any]]:
    """One row of each shape revision 0005's code wrote."""
    at = T0.isoformat()
    due = (T0 + timedelta(hours=1)).isoformat()
    clock = {"ref": ref, "severity": "critical", "instant": at, "late": False}

    def row(key: str, kind: str, audience: str, payload: dict[str, Any], ticket: int | None = ticket_id,
            status: str = "pending") -> dict[str, Any]:
        return {"key": key, "ticket_id": ticket, "kind": kind, "audience": audience, "payload": payload,
                "due_at": T0, "ready_at": T0, "status": status, "attempts": 0, "created_at": T0}

    return [
        row("t:root", "ticket_opened", "severity_channel", {"ref": ref, "seq": 1, "event": "opened"}),
        row("t:receipt", "reporter_receipt", "reporter", {"ref": ref, "seq": 1, "event": "opened"}),
        row("t:reminder", "reminder", "thread", {**clock, "clock": "update", "due": due, "agent": "U0AGENT01"}),
        row("t:breach0", "breach", "thread", {**clock, "clock": "callback", "due": at, "level": 0,
                                              "rung": "severity_channel", "repeat": 0, "broadcast": True}),
        row("t:breach1", "breach", "channel", {**clock, "clock": "callback", "due": at, "level": 1,
                                               "rung": "leads", "repeat": 1}),
        row("t:page-dm", "page", "user", {**clock, "user_id": ONCALL_USER, "reason": "critical_out_of_hours",
                                          "repeat": 0}),
        row("t:page-channel", "page", "channel", {**clock, "rung": "on_call", "reason": "callback_breached",
                                                  "users": [ONCALL_USER], "usergroup": None, "clock": "callback",
                                                  "due": at, "level": 2, "repeat": 2}),
        row("digest:rung:leads", "digest", "channel", {
            "channel_of": "rung:leads", "rung": "leads", "severity": "critical", "user_id": None,
            "items": [{"ref": ref, "kind": "breach", "clock": "callback", "instant": at, "late": None}] * 6},
            ticket=None),
        row("maintenance:1:scheduled", "announcement", "channel", {
            "rung": "announcements", "event": "scheduled", "maintenance_id": 1, "service": "api",
            "starts_at": due, "ends_at": due, "critical_fixes": False, "reason": "upgrade",
            "text": "Planned maintenance #1 of api is scheduled.", "channel": NEWS}, ticket=None),
        row("availability:all:50pct:x", "announcement", "channel", {
            "rung": "leads", "threshold": "50pct", "service": "all", "availability": 0.99744,
            "budget_left_minutes": 96, "budget_minutes": 216, "window_start": at, "window_end": at,
            "text": "Availability …"}, ticket=None),
        row("report:2023-10", "announcement", "channel", {
            "rung": "leads", "month": "2023-10", "text": "SLA summary …", "breaches": 2, "availability": 0.998},
            ticket=None),
    ]


@dataclass(frozen=True)
class OldTicket:
    id: int
    ref: str


def written_at_0005(url: str) -> OldTicket:
    """A database at revision 0005 holding a ticket and one outbox row of each old shape,
    written into that revision's tables as its code wrote them (today's services need
    today's tables, and the bot's wiring refuses an old database, as it does in production:
    it is wired only once the database is migrated)."""
    upgrade_database(url, "0005")
    engine = make_engine(url)
    try:
        ticket = _ticket_at_0005(engine)
        # The outbox table as revision 0005 made it (today's model has columns added since).
        outbox_at_0005 = Table("outbox", MetaData(), autoload_with=engine)
        rows = [{k: _naive(v) if isinstance(v, datetime) else v for k, v in r.items()}
                for r in old_rows(ticket.ref, ticket.id)]
        with engine.begin() as conn:
            conn.execute(insert(outbox_at_0005), rows)
    finally:
        engine.dispose()
    return ticket


def _ticket_at_0005(engine: Engine) -> OldTicket:
    """A Critical ticket as revision 0005's code stored it: its account, its row and its
    "opened" event."""
    tables = MetaData()
    tables.reflect(engine, only=("customer_accounts", "tickets", "ticket_events"))
    ref = "INC-2026-000001"
    with engine.begin() as conn:
        conn.execute(insert(tables.tables["customer_accounts"]).values(id="acme", name="ACME Corp", active=True))
        ticket_id = conn.execute(insert(tables.tables["tickets"]).values(
            ref=ref, reporter_id=REPORTER, account_id="acme", title="Checkout is down",
            description="Every payment fails.", category="incident", product_version="5.2", language="en",
            contact_channel="phone", contact_phone="+33 6 12 34 56 78", affected_users="all", severity="critical",
            status="opened", opened_at=_naive(T0), updated_at=_naive(T0), next_due_at=_naive(T0), version=1)
        ).inserted_primary_key[0]
        conn.execute(insert(tables.tables["ticket_events"]).values(
            ticket_id=ticket_id, seq=1, actor_id=REPORTER, role="reporter", at=_naive(T0), type="opened",
            payload={"severity": "critical", "title": "Checkout is down", "category": "incident",
                     "product_version": "5.2"}))
    return OldTicket(id=int(ticket_id), ref=ref)


def _naive(at: datetime) -> datetime:
    """The plain DATETIME columns of a reflected table hold UTC, as UTCDateTime writes it."""
    return at.astimezone(UTC).replace(tzinfo=None)


def test_rows_of_the_old_shape_are_delivered_after_the_migration(empty_database_url: str,
                                                                 app_config: AppConfig) -> None:
    ticket = written_at_0005(empty_database_url)
    upgrade_database(empty_database_url)
    with world_at(empty_database_url, app_config.policy) as world:
        sender = world.sender()
        while sender.run_once():
            world.clock.advance(seconds=5)
        delivered(world, ticket)


def delivered(world: World, ticket: OldTicket) -> None:
    """Every old row went out, each where it was meant to go, and the summary is recorded."""
    with world.ctx.uow() as uow:
        assert store.counts(uow.session)["failed"] == 0 and store.counts(uow.session)["pending"] == 0
        assert list(uow.session.scalars(select(MonthlySummaryRow.month))) == ["2023-10"]
    where = _posted(world)
    assert len(where) == len(old_rows(ticket.ref, ticket.id))  # every row went out
    root = where["t:root"]
    assert root.channel == CRITICAL_CHANNEL and root.thread_ts is None
    assert where["t:receipt"].channel == world.slack.dm_channel(REPORTER)
    assert (where["t:reminder"].thread_ts, where["t:reminder"].reply_broadcast) == (root.ts, False)
    assert (where["t:breach0"].thread_ts, where["t:breach0"].reply_broadcast) == (root.ts, True)
    assert where["t:breach1"].channel == LEADS and "Niveau d'escalade 1" in texts(where["t:breach1"])
    assert where["t:page-dm"].channel == world.slack.dm_channel(ONCALL_USER)
    assert where["t:page-channel"].channel == ON_CALL and f"<@{ONCALL_USER}>" in texts(where["t:page-channel"])
    assert where["digest:rung:leads"].channel == LEADS and "*6 notifications*" in texts(where["digest:rung:leads"])
    assert where["maintenance:1:scheduled"].channel == NEWS and "*api*" in texts(where["maintenance:1:scheduled"])
    assert where["availability:all:50pct:x"].channel == LEADS
    assert "*99.74 %*" in texts(where["availability:all:50pct:x"])
    assert where["report:2023-10"].channel == LEADS
    assert "`/incident rapport 2023-10`" in texts(where["report:2023-10"])
    assert "retard" not in texts(where["report:2023-10"])


def _posted(world: World) -> dict[str, Any]:
    """Every message the sender posted, by the outbox key its metadata carries."""
    found: dict[str, Any] = {}
    for channel in (CRITICAL_CHANNEL, LEADS, ON_CALL, NEWS, world.slack.dm_channel(REPORTER),
                    world.slack.dm_channel(ONCALL_USER)):
        for message in world.slack.messages(channel):
            key = ((message.metadata or {}).get("event_payload") or {}).get("key")
            if key:
                found[key] = message
    return found
