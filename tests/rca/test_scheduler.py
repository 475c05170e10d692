"""The scheduler's RCA pass on SQLite and PostgreSQL: the ticket's agent is reminded once
before a required RCA falls due, a late one climbs the severity's escalation chain one
rung at a time, each notice decided once however often (and by however many replicas)
the pass runs, and nothing more once the reporter has it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from sla_core.outbox.model import NotificationKind
from sla_core.outbox.models import OutboxRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.rca import service as rca
from sla_core.scheduler.rca_due import run_rca_tick
from sla_core.tickets import service
from tests.rca.test_service import CONTENT
from tests.tickets.conftest import AGENT, LEAD, PARIS, REPORTER
from tests.tickets.helpers import open_one

RESOLVED = datetime(2026, 11, 23, 10, 30, tzinfo=PARIS)  # a Monday
DUE = datetime(2026, 11, 30, 10, 30, tzinfo=PARIS)  # 5 business days (45 h) later
REMIND = datetime(2026, 11, 27, 10, 30, tzinfo=PARIS)  # 1 business day (9 h) before: Friday


def resolved(uow, policy, support, severity: str) -> str:
    ref = open_one(uow, policy=policy, support=support, now=RESOLVED - timedelta(minutes=30), severity=severity).ref
    for action, actor, at, fields in (
            (service.acknowledge, AGENT, 10, {"channel": "phone", "note": ""}),
            (service.propose_resolution, AGENT, 20, {"kind": "fix", "text": "rotated"}),
            (service.accept_resolution, REPORTER, 30, {})):
        action(uow, policy=policy, support=support, ticket_ref=ref, actor_id=actor,
               now=RESOLVED - timedelta(minutes=30 - at), **fields)
    return ref


def rows(uow) -> list[tuple[str, str, str]]:
    with uow:
        found = uow.session.execute(select(OutboxRow.key, OutboxRow.kind, OutboxRow.audience)
                                    .where(OutboxRow.kind.in_([NotificationKind.RCA_REMINDER.value,
                                                               NotificationKind.RCA_LATE.value]))
                                    .order_by(OutboxRow.id)).all()
        return [(r.kind, r.audience, r.key.rsplit(":", 1)[-1]) for r in found]


def test_remind_once_then_escalate_a_late_rca_like_a_breach(uow, db_engine, policy, support, app_config) -> None:
    resolved(uow, policy, support, "critical")

    def tick(at: datetime) -> int:
        return run_rca_tick(lambda: UnitOfWork(db_engine), policy=policy, settings=app_config.rca,
                            config=app_config.scheduling, now=at)

    assert tick(REMIND - timedelta(seconds=1)) == 0
    assert tick(REMIND) == 1 and tick(REMIND + timedelta(minutes=5)) == 0  # decided once
    assert rows(uow) == [("rca_reminder", f"dm:{AGENT}", "remind")]
    assert tick(DUE) == 1 and tick(DUE) == 0
    assert tick(DUE + timedelta(minutes=30)) == 1  # Critical: one rung every 30 minutes
    assert tick(DUE + timedelta(hours=5)) == 1 and tick(DUE + timedelta(days=3)) == 0  # the chain ends on on-call
    assert rows(uow) == [("rca_reminder", f"dm:{AGENT}", "remind"), ("rca_late", "thread:broadcast", "0"),
                         ("rca_late", "rung:leads", "1"), ("rca_late", "rung:on_call", "2")]


def test_a_late_pass_after_downtime_decides_the_lateness_but_no_stale_reminder(uow, db_engine, policy, support,
                                                                               app_config) -> None:
    resolved(uow, policy, support, "critical")
    assert run_rca_tick(lambda: UnitOfWork(db_engine), policy=policy, settings=app_config.rca,
                        config=app_config.scheduling, now=DUE + timedelta(minutes=45)) == 2
    assert [k for _, _, k in rows(uow)] == ["0", "1"]


def test_nothing_is_owed_on_request_until_asked_nor_once_delivered(uow, db_engine, policy, support,
                                                                   app_config) -> None:
    ref = resolved(uow, policy, support, "important")  # on request by default

    def tick(at: datetime) -> int:
        return run_rca_tick(lambda: UnitOfWork(db_engine), policy=policy, settings=app_config.rca,
                            config=app_config.scheduling, now=at)

    assert tick(DUE + timedelta(days=1)) == 0
    service.request_rca(uow, policy=policy, support=support, ticket_ref=ref, actor_id=REPORTER,
                        now=RESOLVED + timedelta(hours=1))
    rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT, content=CONTENT, now=REMIND)
    rca.submit(uow, policy=policy, support=support, settings=app_config.rca, ticket_ref=ref, actor_id=AGENT,
               now=REMIND)
    assert tick(REMIND) == 1  # still owed (asking moved no date): submitted is not delivered
    rca.approve(uow, policy=policy, support=support, ticket_ref=ref, actor_id=LEAD, now=DUE - timedelta(minutes=1))
    assert tick(DUE + timedelta(days=1)) == 0
