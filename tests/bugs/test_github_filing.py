"""Filing and linking bugs in GitHub Issues through the outbox, against a fake GitHub on
loopback: the issue is created once, whatever the network does (a lost answer, a 429, an
outage), the ticket records it, and Slack's messages never wait for the tracker."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx

from sla_core.tickets.actions import Action, EventKind
from tests.bugs.conftest import CLIENT_TIMEOUT, World
from tests.doubles.fake_trackers import Fault


def bug_events(world: World, ref: str, kind: EventKind) -> list[dict]:
    return [dict(e.payload) for e in world.ticket(ref).events if e.type is kind]


def test_a_filed_bug_is_created_once_scrubbed_marked_and_recorded_on_the_ticket(github_world: World) -> None:
    w = github_world
    ref = w.open().ref
    w.file(ref, description="Call Jean on 06 12 34 56 78 or jean.dupont@acme.fr: every export fails.")
    assert w.run_jobs() == 1

    [issue] = w.tracker.issues.values()
    assert issue["title"] == "Export returns 500"
    body = issue["body"]
    assert "06 12 34 56 78" not in body and "jean.dupont@acme.fr" not in body
    assert "Call Jean on [phone] or [email]: every export fails." in body
    assert "**Product version:** 5.2.3" in body and "```\nclient.export(id=42)\n```" in body
    assert f"Support ticket: {ref}" in body
    [job] = w.jobs()
    assert f"<!-- astreinte-key: {job.key} -->" in body and job.status == "sent"

    [recorded] = bug_events(w, ref, EventKind.BUG_RECORDED)
    assert recorded["key"] == "trackforce/platform#1" and recorded["state"] == "open"
    assert recorded["url"] == issue["html_url"] and recorded["filed_seq"] == 2
    assert w.run_jobs() == 0 and len(w.tracker.calls_of("create")) == 1


def test_a_lost_answer_does_not_create_the_issue_twice(github_world: World) -> None:
    w = github_world
    ref = w.open().ref
    for n in range(20):
        w.tracker.add_issue(f"older issue {n}", "no marker here")
    w.file(ref)
    w.tracker.fail_next("create", Fault(hang_up=True, after_work=True))  # created; the answer never arrives
    w.run_jobs()
    assert len(w.tracker.issues) == 21  # it exists in GitHub…
    [job] = w.pending_jobs()  # …but we could not know: retried, after the request had time to settle
    assert job.last_error and "RemoteProtocolError" in job.last_error
    assert w.run_jobs() == 0  # not before then
    w.clock.advance(seconds=31)
    for n in range(100):  # others file issues meanwhile: ours is on the listing's second page
        w.tracker.add_issue(f"newer issue {n}", "created meanwhile")
    w.run_jobs()

    assert len(w.tracker.issues) == 121 and len(w.tracker.calls_of("create")) == 1  # looked up, not re-created
    assert len(w.tracker.calls_of("list")) == 2  # followed the Link header to the second page
    [recorded] = bug_events(w, ref, EventKind.BUG_RECORDED)
    assert recorded["key"] == "trackforce/platform#21"
    assert [j.status for j in w.jobs()] == ["sent"]


def test_a_timeout_does_not_create_the_issue_twice(github_world: World) -> None:
    w = github_world
    ref = w.open().ref
    w.file(ref)
    w.worker.tracker.api.client.timeout = httpx.Timeout(0.3)  # GitHub answers after 5 s: we stop waiting first
    w.tracker.fail_next("create", Fault(late=5.0))
    w.run_jobs()
    assert len(w.tracker.issues) == 1
    [job] = w.pending_jobs()
    assert "ReadTimeout" in (job.last_error or "")
    w.worker.tracker.api.client.timeout = CLIENT_TIMEOUT  # GitHub answers promptly again
    w.clock.advance(seconds=31)
    w.run_jobs()
    assert len(w.tracker.calls_of("create")) == 1 and len(w.tracker.issues) == 1
    assert [e["key"] for e in bug_events(w, ref, EventKind.BUG_RECORDED)] == ["trackforce/platform#1"]


def test_a_429_is_retried_after_retry_after_and_a_403_after_the_rate_limit_reset(github_world: World) -> None:
    w = github_world
    ref = w.open().ref
    w.file(ref)
    w.tracker.fail_next("create", Fault(status=429, headers={"Retry-After": "120"}))
    w.run_jobs()
    [job] = w.pending_jobs()
    assert job.ready_at == w.clock() + timedelta(seconds=120) and job.attempts == 0  # not counted as an attempt
    assert w.tracker.issues == {}
    w.worker._paused_until = 0  # the real two minutes have "passed" for the worker too
    w.clock.advance(seconds=121)

    reset = int(time.time()) + 600
    w.tracker.fail_next("create", Fault(status=403, headers={"X-RateLimit-Remaining": "0",
                                                             "X-RateLimit-Reset": str(reset)}))
    w.run_jobs()
    [job] = w.pending_jobs()
    waited = (job.ready_at - w.clock()).total_seconds()
    assert 590 <= waited <= 600  # until GitHub's reset, not a guess
    w.worker._paused_until = 0
    w.clock.advance(seconds=601)
    w.run_jobs()
    assert len(w.tracker.issues) == 1 and [j.status for j in w.jobs()] == ["sent"]
    assert len(bug_events(w, ref, EventKind.BUG_RECORDED)) == 1


def test_a_tracker_outage_loses_nothing_and_never_holds_slack_back(github_world: World) -> None:
    w = github_world
    ref = w.open().ref
    w.deliver()
    w.file(ref)
    w.tracker.fail_next("create", Fault(status=502), count=3)
    w.tracker.fail_next("list", Fault(status=503, headers={"Retry-After": "30"}), count=2)
    for _ in range(3):
        w.run_jobs()
        w.deliver()  # Slack hears of the filing meanwhile: the thread says it is being filed
        w.clock.advance(minutes=30)
    assert w.tracker.issues == {}
    assert any("crée un bug dans GitHub" in t for t in w.thread_texts(ref))  # channels speak French here
    [job] = w.pending_jobs()
    assert job.attempts >= 3 and "http_5" in (job.last_error or "")

    for _ in range(4):  # the tracker is back
        w.clock.advance(minutes=30)
        w.run_jobs()
    assert len(w.tracker.issues) == 1 and [j.status for j in w.jobs()] == ["sent"]
    w.deliver()
    assert any("Bug créé dans GitHub" in t and "trackforce/platform#1" in t for t in w.thread_texts(ref))
    root = w.root(ref)
    assert "trackforce/platform#1" in str(root.blocks)


def test_a_linked_bug_is_fetched_and_one_bug_may_serve_several_tickets(github_world: World) -> None:
    w = github_world
    existing = w.tracker.add_issue("Exports fail on 5.2.3", milestone="5.2.4")
    first, second = w.open().ref, w.open().ref
    w.act(Action.LINK_BUG, first, bug=existing["html_url"])
    w.act(Action.LINK_BUG, second, bug="#1")
    w.run_jobs()
    for ref in (first, second):
        [recorded] = bug_events(w, ref, EventKind.BUG_RECORDED)
        assert recorded["key"] == "trackforce/platform#1" and recorded["fix_version"] == "5.2.4"
        assert "filed_seq" not in recorded or recorded["filed_seq"] is None
    # one ticket, several bugs: a second one on the first ticket
    w.tracker.add_issue("Another one")
    w.act(Action.LINK_BUG, first, bug="trackforce/platform#2")
    w.run_jobs()
    assert [e["key"] for e in bug_events(w, first, EventKind.BUG_RECORDED)] == \
        ["trackforce/platform#1", "trackforce/platform#2"]
    # A third ticket links the bug already known: it shows its state at once, without waiting for the tracker.
    third = w.open().ref
    w.act(Action.LINK_BUG, third, bug="#1")
    [linked] = bug_events(w, third, EventKind.BUG_LINKED)
    assert linked["state"] == "open" and linked["fix_version"] == "5.2.4"
