"""The outbox's one codec: every kind of notice and every address goes into the outbox's
columns and comes back as it was, on SQLite and PostgreSQL; a row that is not a notice is
failed with its reason and does not hold up the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from sla_core.outbox import store
from sla_core.outbox.address import (
    Address, AnnouncementChannel, ClickedMessage, DirectMessage, EscalationRung, Fallback, ReporterCardDM, ReporterEmail,
    RootPost, Rung, SeverityChannel, TicketThread, Tracker,
)
from sla_core.outbox.codec import UnreadableNotice, decode_address, decode_payload, encode_address, encode_payload
from sla_core.outbox.model import (
    PAYLOAD_TYPES, AtRisk, AvailabilityWarning, Breach, ClickedUpdate, Digest, DigestItem, MailAttachment, MailReceived,
    Maintenance, MaintenanceEvent,
    MonthlySummary, Notification, NotificationKind, Page, PageReason, Payload, RcaApproval, RcaDocument, RcaLate,
    RcaReminder, Reminder, ReporterCard, ReporterEvent, ReporterMail, ReporterReceipt, RootRefresh, SatisfactionAnswered,
    SatisfactionAsk, SatisfactionLow, SeverityMoved, ThreadEvent, TicketOpened, TrackerFetch, TrackerFile,
)
from sla_core.outbox.models import OutboxRow
from sla_core.persistence.uow import UnitOfWork
from sla_core.severity import ClockKind, Severity

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 10, 25, 3, 30, tzinfo=PARIS)  # the fall-back night, its second hour (UTC+1)
DUE = datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
ABOUT = dict(ref="INC-2026-000001", seq=3, event="update_posted")
SCHEDULED = dict(ref="INC-2026-000001", severity=Severity.CRITICAL, instant=AT, late=True)

EXAMPLES: list[tuple[Payload, Address]] = [
    (MailReceived(**ABOUT, sender="alice@acme.example", severity_tagged=False, truncated=True,
                  attachments=(MailAttachment(filename="trace <1>.log", content_type="text/plain", size=12_345),)),
     TicketThread()),
    (TicketOpened(**ABOUT), SeverityChannel()),
    (RootRefresh(**ABOUT), RootPost()),
    (ThreadEvent(**ABOUT), TicketThread()),
    (ReporterReceipt(**ABOUT), DirectMessage()),
    (ReporterEvent(**ABOUT), DirectMessage()),
    (ReporterCard(**ABOUT), ReporterCardDM()),
    (ReporterMail(**ABOUT), ReporterEmail()),
    (ClickedUpdate(**ABOUT, said=":hourglass: the next update is due <!date^1|Fri>"),
     ClickedMessage(channel="D0AB12CD", ts="1700000000.000100")),
    (SeverityMoved(**ABOUT, severity=Severity.LOW), SeverityChannel(severity=Severity.LOW)),
    (Reminder(**SCHEDULED, clock=ClockKind.UPDATE, due=DUE, agent="U0AGENT01", snoozed=True), TicketThread()),
    (AtRisk(**SCHEDULED, clock=ClockKind.CALLBACK, due=DUE), TicketThread()),
    (Breach(**SCHEDULED, clock=ClockKind.RESOLUTION, due=None, limit=True), EscalationRung(rung=Rung.LEADS)),
    (Breach(**SCHEDULED, clock=ClockKind.CALLBACK, due=DUE, level=0, repeat=0), TicketThread(broadcast=True)),
    (Page(**SCHEDULED, reason=PageReason.CRITICAL_OUT_OF_HOURS, repeat=2), DirectMessage(user_id="U0ONCALL1")),
    (Page(**SCHEDULED, reason=PageReason.CRITICAL_OUT_OF_HOURS, repeat=1, raised=True, users=("U1",)),
     EscalationRung(rung=Rung.ON_CALL, threaded=True)),
    (Page(**SCHEDULED, reason=PageReason.breached(ClockKind.CALLBACK), users=("U1", "U2"), usergroup="S0ONCALL",
          clock=ClockKind.CALLBACK, due=DUE, level=2), EscalationRung(rung=Rung.ON_CALL)),
    (Digest(items=(DigestItem(ref="INC-2026-000001", kind=NotificationKind.AT_RISK, clock=ClockKind.CALLBACK,
                              instant=AT, late=True), DigestItem(ref="INC-2026-000002", kind=NotificationKind.PAGE))),
     SeverityChannel(severity=Severity.IMPORTANT)),
    (TrackerFile(ref="INC-2026-000001", seq=4, event="bug_filed"), Tracker()),
    (TrackerFetch(tracker="jira", key="PLAT-12", ref="INC-2026-000001"), Tracker()),
    (Maintenance(event=MaintenanceEvent.CANCELLED, maintenance_id=7, service="api", starts_at=AT, ends_at=AT,
                 critical_fixes=True, reason="a <b> & c"), AnnouncementChannel(channel="C0ANNOUNCE")),
    (AvailabilityWarning(threshold="missed", service="all", availability=0.994321, budget_left_minutes=0,
                         budget_minutes=216, window_start=AT - timedelta(days=30), window_end=AT),
     AnnouncementChannel(otherwise=Fallback.LEADS)),
    (MonthlySummary(month="2026-11", breaches=3, availability=0.9952, due=AT, late=True),
     AnnouncementChannel(channel="C0REPORTS", otherwise=Fallback.LEADS)),
    (SatisfactionAsk(ref="INC-2026-000001"), DirectMessage()),
    (SatisfactionAnswered(ref="INC-2026-000001", step="comment"),
     ClickedMessage(channel="D0AB12CD", ts="1700000000.000100")),
    (SatisfactionLow(ref="INC-2026-000001", score=1), EscalationRung(rung=Rung.LEADS)),
    (RcaApproval(ref="INC-2026-000001", version=2, author="U0AGENT01"), EscalationRung(rung=Rung.LEADS)),
    (RcaDocument(ref="INC-2026-000001", version=2, correction=True), DirectMessage()),
    (RcaReminder(ref="INC-2026-000001", version=1, due=DUE, agent="U0AGENT01"), DirectMessage(user_id="U0AGENT01")),
    (RcaLate(ref="INC-2026-000001", version=1, due=DUE, level=1), EscalationRung(rung=Rung.LEADS)),
]


def test_every_kind_of_notice_has_one_payload_type_and_an_example_here() -> None:
    assert sorted(t.kind for t in PAYLOAD_TYPES) == sorted(NotificationKind)
    assert {type(p) for p, _ in EXAMPLES} == set(PAYLOAD_TYPES)


def test_every_notice_comes_back_from_the_outbox_as_it_was_written(uow: UnitOfWork) -> None:
    notices = [Notification(key=f"k{i}", payload=p, address=a, due_at=AT) for i, (p, a) in enumerate(EXAMPLES)]
    with uow:
        assert len(store.enqueue(uow.session, notices, now=AT)) == len(notices)
        uow.commit()
    with uow:  # Slack's messages, then the tracker's jobs (each claimed by its own worker)
        entries = store.claim(uow.session, worker="w", now=AT, lease=timedelta(minutes=1), limit=100)
        entries += store.claim(uow.session, worker="w", now=AT, lease=timedelta(minutes=1), limit=100,
                               tracker_jobs=True)
        uow.commit()
    assert [(e.key, e.payload, e.address) for e in sorted(entries, key=lambda e: int(e.key[1:]))] == \
        [(n.key, n.payload, n.address) for n in notices]
    assert entries[0].ticket_ref == "INC-2026-000001"
    reminder = next(e.payload for e in entries if isinstance(e.payload, Reminder))
    assert reminder.instant.utcoffset() == timedelta(hours=1)  # written with its offset, read with it
    assert next(e for e in entries if e.kind is NotificationKind.MONTHLY_SUMMARY).ticket_ref is None


@pytest.mark.parametrize("address", sorted({a for _, a in EXAMPLES}, key=repr), ids=encode_address)
def test_every_address_reads_back_from_its_text(address: Address) -> None:
    assert decode_address(encode_address(address)) == address


@pytest.mark.parametrize("text", ["", "thread:loud", "rung:ceo", "rung:on_call:loud", "dm:", "severity_channel:urgent",
                                  "announcements:nowhere", "reporter:U1", "channel"])
def test_a_text_that_is_no_address_is_refused(text: str) -> None:
    with pytest.raises(UnreadableNotice):
        decode_address(text)


def test_a_payload_that_does_not_fit_its_kind_is_refused_naming_the_field() -> None:
    with pytest.raises(UnreadableNotice, match=r"\$\.clock"):
        decode_payload("at_risk", {**encode_payload(AtRisk(**SCHEDULED, clock=ClockKind.CALLBACK, due=DUE)),
                                   "clock": "lunch"})
    with pytest.raises(UnreadableNotice, match="'announcement'"):
        decode_payload("announcement", {"month": "2026-11"})


def test_an_unreadable_row_is_failed_and_does_not_hold_up_the_others(uow: UnitOfWork) -> None:
    good = Notification(key="good", payload=EXAMPLES[-1][0], address=EXAMPLES[-1][1], due_at=AT)
    with uow:
        uow.session.execute(insert(OutboxRow), [{
            "key": "bad", "ticket_id": None, "kind": "announcement", "audience": "channel",
            "payload": {"rung": "leads", "month": "2026-11"}, "due_at": AT, "ready_at": AT - timedelta(seconds=1),
            "status": "pending", "attempts": 0, "created_at": AT}])
        store.enqueue(uow.session, [good], now=AT)
        uow.commit()
    with uow:
        entries = store.claim(uow.session, worker="w", now=AT, lease=timedelta(minutes=1))
        uow.commit()
    assert [e.key for e in entries] == ["good"]
    with uow:
        bad = uow.session.scalars(select(OutboxRow).where(OutboxRow.key == "bad")).one()
        assert bad.status == "failed" and "'announcement' notice cannot be read" in (bad.last_error or "")
