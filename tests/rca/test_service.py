"""An RCA's life through the services, on SQLite and PostgreSQL: drafted and edited,
submitted, approved by a lead and sent (once), corrected as a new version with the first
kept; who may do what; the ticket's log records the request, the approval and the sending;
the reporter is owed the document through the outbox."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from sla_core.authorization import NotAuthorized
from sla_core.config.rca_section import RcaSettings
from sla_core.outbox.models import OutboxRow
from sla_core.rca import service as rca
from sla_core.rca.errors import RcaError
from sla_core.rca.evidence import evidence
from sla_core.rca.model import ActionKind, FollowUp, Impact, RcaContent, RcaStatus
from sla_core.tickets import Status, get_ticket, service
from sla_core.tickets.actions import EventKind
from sla_core.tickets.errors import TicketError
from tests.tickets.conftest import AGENT, LEAD, PARIS, REPORTER
from tests.tickets.helpers import ticket_in

CONTENT = RcaContent(
    summary="Logins failed for 2 hours after the 5.2.3 deployment.",
    impact=Impact(start=datetime(2026, 11, 23, 9, 40, tzinfo=PARIS), end=datetime(2026, 11, 23, 11, 40, tzinfo=PARIS),
                  who="All ACME users"),
    root_cause="An expired signing key in the session service.",
    resolution="The key was rotated and the service restarted.",
    actions=(FollowUp(kind=ActionKind.CORRECTIVE, what="Rotate keys", owner="Ops", due=date(2026, 12, 1)),
             FollowUp(kind=ActionKind.PREVENTIVE, what="Alert 30 days before expiry", owner="SRE",
                      due=date(2026, 12, 15))))


def _outbox(uow, kind: str) -> list[tuple[str, dict]]:
    """(address, payload) of each row of ``kind``, oldest first."""
    with uow:
        rows = uow.session.execute(select(OutboxRow.audience, OutboxRow.payload).where(OutboxRow.kind == kind)
                                   .order_by(OutboxRow.id)).all()
        return [(r.audience, dict(r.payload)) for r in rows]


def test_draft_edit_submit_approve_send_and_correct(uow, policy, support, rca_settings) -> None:
    ref, last = ticket_in(Status.CLOSED, uow, policy=policy, support=support)
    t = last + timedelta(hours=1)
    first = rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT,
                           content=replace(CONTENT, root_cause=""), now=t)
    assert (first.version, first.status, first.edits) == (1, RcaStatus.DRAFT, 1)
    with pytest.raises(RcaError) as incomplete:
        rca.submit(uow, policy=policy, support=support, settings=rca_settings, ticket_ref=ref, actor_id=AGENT, now=t)
    assert incomplete.value.code == "rca_incomplete" and incomplete.value.params["fields"] == ["root_cause"]

    edited = rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT, content=CONTENT,
                            now=t + timedelta(minutes=5))
    assert (edited.version, edited.edits, edited.content) == (1, 2, CONTENT)
    submitted = rca.submit(uow, policy=policy, support=support, settings=rca_settings, ticket_ref=ref,
                           actor_id=AGENT, now=t + timedelta(minutes=6))
    assert submitted.status is RcaStatus.SUBMITTED
    assert [a for a, _ in _outbox(uow, "rca_approval")] == ["rung:leads"]
    assert _outbox(uow, "rca_document") == []  # nothing reaches the reporter before a lead approves

    with pytest.raises(NotAuthorized) as refused:
        rca.approve(uow, policy=policy, support=support, ticket_ref=ref, actor_id=AGENT, now=t + timedelta(minutes=7))
    assert refused.value.code == "rca_leads_only"
    sent = rca.approve(uow, policy=policy, support=support, ticket_ref=ref, actor_id=LEAD,
                       now=t + timedelta(minutes=8))
    assert (sent.status, sent.approved_by, sent.sent_at) == (RcaStatus.SENT, LEAD, t + timedelta(minutes=8))
    with pytest.raises(RcaError) as twice:
        rca.approve(uow, policy=policy, support=support, ticket_ref=ref, actor_id=LEAD, now=t + timedelta(minutes=9))
    assert twice.value.code == "rca_already_sent"
    documents = _outbox(uow, "rca_document")
    assert [(a, p["version"]) for a, p in documents] == [("reporter", 1)]

    ticket = get_ticket(uow, policy=policy, ticket_ref=ref, now=t + timedelta(minutes=10))
    assert ticket.status is Status.CLOSED  # the log records it; the ticket stays closed
    assert [(e.type, e.actor_id, e.payload) for e in ticket.events[-2:]] == [
        (EventKind.RCA_APPROVED, LEAD, {"version": 1}), (EventKind.RCA_SENT, LEAD, {"version": 1})]

    # A correction after sending is a new version; the one sent stays as it was.
    corrected = rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT,
                               content=replace(CONTENT, root_cause="An expired key, and no alert on it."),
                               now=t + timedelta(days=1))
    assert (corrected.version, corrected.corrects, corrected.status) == (2, 1, RcaStatus.DRAFT)
    rca.submit(uow, policy=policy, support=support, settings=rca_settings, ticket_ref=ref, actor_id=AGENT,
               now=t + timedelta(days=1, minutes=1))
    rca.approve(uow, policy=policy, support=support, ticket_ref=ref, actor_id=LEAD, now=t + timedelta(days=1, minutes=2))
    every = rca.versions(uow, ticket_ref=ref)
    assert [(v.version, v.status, v.content.root_cause) for v in every] == [
        (1, RcaStatus.SENT, CONTENT.root_cause), (2, RcaStatus.SENT, "An expired key, and no alert on it.")]
    assert rca.latest(uow, ticket_ref=ref).version == 2
    assert [p.get("correction", False) for _, p in _outbox(uow, "rca_document")] == [False, True]


def test_without_approval_a_submission_goes_out_at_once(uow, policy, support, rca_settings) -> None:
    ref, last = ticket_in(Status.RESOLVED, uow, policy=policy, support=support)
    settings = replace(rca_settings, approval_required=False)
    rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT, content=CONTENT, now=last)
    sent = rca.submit(uow, policy=policy, support=support, settings=settings, ticket_ref=ref, actor_id=AGENT,
                      now=last + timedelta(minutes=1))
    assert sent.status is RcaStatus.SENT and sent.approved_by is None
    assert _outbox(uow, "rca_approval") == []
    assert len(_outbox(uow, "rca_document")) == 1


def test_only_agents_write_and_the_reporter_asks_once(uow, policy, support) -> None:
    ref, last = ticket_in(Status.RESOLVED, uow, policy=policy, support=support)
    with pytest.raises(NotAuthorized) as refused:
        rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=REPORTER, content=CONTENT, now=last)
    assert refused.value.code == "not_an_agent"
    asked = service.request_rca(uow, policy=policy, support=support, ticket_ref=ref, actor_id=REPORTER, now=last)
    assert asked.new_events[-1].type is EventKind.RCA_REQUESTED and asked.status is Status.RESOLVED
    with pytest.raises(TicketError) as again:
        service.request_rca(uow, policy=policy, support=support, ticket_ref=ref, actor_id=REPORTER, now=last)
    assert again.value.code == "rca_already_requested"
    with pytest.raises(TicketError) as agent:
        service.request_rca(uow, policy=policy, support=support, ticket_ref=ref, actor_id=AGENT, now=last)
    assert agent.value.code == "not_reporter_account"


def test_texts_longer_than_their_limit_are_refused(uow, support, policy) -> None:
    ref, last = ticket_in(Status.RESOLVED, uow, policy=policy, support=support)
    with pytest.raises(RcaError) as refused:
        rca.save_draft(uow, support=support, ticket_ref=ref, actor_id=AGENT,
                       content=replace(CONTENT, summary="x" * 3001), now=last)
    assert refused.value.params == {"field": "summary", "max": 3000, "length": 3001}
    assert rca.versions(uow, ticket_ref=ref) == []


def test_the_evidence_is_what_the_customer_saw_and_the_clocks(uow, policy, support) -> None:
    ref, last = ticket_in(Status.RESOLUTION_PROPOSED, uow, policy=policy, support=support)
    service.add_internal_note(uow, policy=policy, support=support, ticket_ref=ref, actor_id=AGENT,
                              text="blame the intern", now=last)
    last += timedelta(minutes=5)
    service.accept_resolution(uow, policy=policy, support=support, ticket_ref=ref, actor_id=REPORTER, now=last)
    ticket = get_ticket(uow, policy=policy, ticket_ref=ref, now=last)
    proof = evidence(policy, opened_at=ticket.opened_at, events=ticket.events, now=last + timedelta(days=3))
    kinds = [e.event for e in proof.timeline]
    assert EventKind.INTERNAL_NOTE not in kinds
    assert kinds == [EventKind.OPENED, EventKind.ACKNOWLEDGED, EventKind.RESOLUTION_PROPOSED,
                     EventKind.RESOLUTION_ACCEPTED]
    assert not any("blame" in str(e.details) for e in proof.timeline)
    callback, _, resolution = proof.figures
    assert (callback.state, callback.stopped_at) == ("met", ticket.events[1].at)
    assert callback.counted == ticket.events[1].at - ticket.opened_at  # in hours on a Monday morning
    assert resolution.state == "met" and proof.resolved_at == ticket.events[-1].at
