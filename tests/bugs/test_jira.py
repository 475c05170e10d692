"""Jira Cloud (REST v3) against a fake Jira on loopback: the issue is created with an
Atlassian Document Format description and a marker label, found by JQL (paged with
``nextPageToken``) after a lost answer instead of being created twice, retried after a
429's ``Retry-After``; an admin webhook signed with ``X-Hub-Signature`` tells the ticket."""

from __future__ import annotations

from datetime import timedelta

from sla_core.tickets.actions import Action, EventKind
from tests.bugs.conftest import WEBHOOK_SECRET, ServedDesk, World
from tests.doubles.fake_trackers import Fault, jira_webhook
from tests.slack_e2e.conftest import ADMIN


def recorded(world: World, ref: str) -> list[dict]:
    return [dict(e.payload) for e in world.ticket(ref).events if e.type is EventKind.BUG_RECORDED]


def test_a_bug_is_created_in_jira_in_adf_with_its_marker_label(jira_world: World) -> None:
    w = jira_world
    ref = w.open().ref
    w.file(ref, description="First paragraph.\n\nSecond, with a phone 01 23 45 67 89.")
    w.run_jobs()
    [issue] = w.tracker.issues.values()
    fields = issue["fields"]
    assert fields["summary"] == "Export returns 500"
    doc = fields["description"]
    assert doc["type"] == "doc" and doc["version"] == 1
    kinds = [node["type"] for node in doc["content"]]
    assert "codeBlock" in kinds and kinds.count("heading") == 3
    texts = str(doc)
    assert "01 23 45 67 89" not in texts and "Second, with a phone [phone]." in texts
    [job] = w.jobs()
    assert fields["labels"] == ["astreinte-" + job.key.replace(":", "-")]
    [first] = recorded(w, ref)
    assert first["key"] == "PLAT-1" and first["url"].endswith("/browse/PLAT-1") and first["status"] == "To Do"


def test_after_a_lost_answer_jql_finds_the_issue_instead_of_creating_it_again(jira_world: World) -> None:
    w = jira_world
    first, second = w.open().ref, w.open().ref
    w.file(first)
    w.file(second)
    w.tracker.fail_next("create", Fault(hang_up=True, after_work=True), count=2)
    w.run_jobs()
    assert len(w.tracker.issues) == 2 and len(w.pending_jobs()) == 2
    w.clock.advance(seconds=31)  # each job finds its own issue by its own label
    w.run_jobs()
    assert len(w.tracker.issues) == 2 and len(w.tracker.calls_of("create")) == 2
    assert [r["key"] for r in recorded(w, first)] == ["PLAT-1"] and [r["key"] for r in recorded(w, second)] == ["PLAT-2"]


def test_a_429_waits_for_jiras_retry_after(jira_world: World) -> None:
    w = jira_world
    ref = w.open().ref
    w.file(ref)
    w.tracker.fail_next("create", Fault(status=429, headers={"Retry-After": "45"}))
    w.run_jobs()
    [job] = w.pending_jobs()
    assert job.ready_at == w.clock() + timedelta(seconds=45) and not w.tracker.issues
    w.worker._paused_until = 0
    w.clock.advance(seconds=46)
    w.run_jobs()
    assert len(w.tracker.issues) == 1 and recorded(w, ref)[0]["key"] == "PLAT-1"


def test_jiras_signed_webhook_tells_the_ticket_and_a_bad_one_changes_nothing(jira_desk: ServedDesk) -> None:
    world = jira_desk.world
    ref = world.open().ref
    world.tracker.add_issue("Exports fail")
    world.act(Action.LINK_BUG, ref, bug="plat-1")
    world.run_jobs()
    issue = world.tracker.set_status("PLAT-1", "In Progress", "indeterminate", fix_version="5.2.4")
    raw, headers = jira_webhook(WEBHOOK_SECRET, issue=issue,
                                changelog=[{"field": "status", "fromString": "To Do", "toString": "In Progress"}])

    forged = dict(headers, **{"X-Hub-Signature": "sha256=" + "f" * 64})
    assert jira_desk.webhook("/webhooks/jira", raw, forged).status_code == 401
    assert [e.type for e in world.ticket(ref).events][-1] is EventKind.BUG_RECORDED

    answer = jira_desk.webhook("/webhooks/jira", raw, headers)
    assert answer.status_code == 200 and answer.json()["tickets"] == [ref]
    [changed] = [e.payload for e in world.ticket(ref).events if e.type is EventKind.BUG_STATUS_CHANGED]
    assert changed["status"] == "In Progress" and changed["fix_version"] == "5.2.4"
    world.deliver()
    assert any("a fix is planned in 5.2.4" in m.text for m in world.slack.dm(ADMIN))

    done = world.tracker.set_status("PLAT-1", "Done", "done", resolution="Won't Do")
    raw, headers = jira_webhook(WEBHOOK_SECRET, issue=done)
    assert jira_desk.webhook("/webhooks/jira", raw, headers).status_code == 200
    world.deliver()
    assert any("closed without a fix" in m.text for m in world.slack.dm(ADMIN))
    # A comment is never relayed: its event is ignored.
    raw, headers = jira_webhook(WEBHOOK_SECRET, issue=done, event="comment_created")
    assert jira_desk.webhook("/webhooks/jira", raw, headers).status_code == 202
