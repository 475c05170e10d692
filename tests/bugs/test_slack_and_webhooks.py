"""Over the real wires: an agent files a bug from the ticket's root post (a modal prefilled
from the ticket, without the reporter's phone or e-mail), links another, sees them on the
root post and in ``/incident status``; GitHub's signed webhook then closes the bug, and the
ticket's thread, its agent and its reporter are told — each what they may see. Unsigned
or wrongly signed webhooks change nothing; an unknown issue is ignored and logged."""

from __future__ import annotations

import json
import logging

import pytest

from sla_core.tickets.actions import EventKind
from tests.bugs.conftest import WEBHOOK_SECRET, ServedDesk
from tests.doubles.fake_trackers import github_webhook
from tests.slack_e2e.conftest import ADMIN, AGENT, GOOD_FORM, blocks_text


def initial_values(view: dict) -> dict[str, str]:
    return {b["block_id"]: b["element"].get("initial_value", "") for b in view["blocks"] if b["type"] == "input"}


def filed(served: ServedDesk) -> tuple[str, dict]:
    """A reporter's API bug, its root post in Slack, and the agent's "File a bug" modal."""
    desk, world = served.desk, served.world
    ref = desk.report(ADMIN, category="api_bug", code_sample="client.export(id=42)  # ask jean.dupont@acme.fr",
                      description="Every export fails. Call me on +33 6 12 34 56 78 or at jean.dupont@acme.fr.").ref
    world.deliver()
    root = world.root(ref)
    assert "ticket.file_bug" in blocks_text({"blocks": root.blocks})  # a tracker is configured: its buttons show
    before = len(desk.slack.views_opened())
    assert desk.click(AGENT, "ticket.file_bug", ref).status == 200
    return ref, desk.wait_for_view(before)


def test_an_agent_files_a_bug_from_a_prefilled_modal_and_sees_it_on_the_ticket(github_desk: ServedDesk) -> None:
    desk, world = github_desk.desk, github_desk.world
    ref, view = filed(github_desk)
    values = initial_values(view)
    assert values["title"] == GOOD_FORM["title"] and values["product_version"] == "5.2"
    assert values["description"] == "Every export fails. Call me on [phone] or at [email]."
    assert values["code_sample"] == "client.export(id=42)  # ask [email]"
    assert ref in values["impact"] and "300" in values["impact"]
    assert "+33" not in json.dumps(view) and "jean.dupont" not in json.dumps(view)

    # The agent adds a line, with a colleague's address pasted by mistake: it is scrubbed too.
    edited = {**values, "description": values["description"] + "\nSeen by ops@acme.fr at 10:05."}
    assert desk.submit(view, AGENT, edited).status == 200
    world.run_jobs()
    [issue] = world.tracker.issues.values()
    assert "ops@acme.fr" not in issue["body"] and "Seen by [email] at 10:05." in issue["body"]
    world.deliver()
    assert any("Bug créé dans GitHub" in t for t in world.thread_texts(ref))
    assert "trackforce/platform#1" in blocks_text({"blocks": world.root(ref).blocks})
    status = desk.command(AGENT, f"status {ref}").body["text"]
    assert "trackforce/platform#1" in status
    assert "trackforce/platform" not in desk.command(ADMIN, f"status {ref}").body["text"]  # not the customer's


def test_a_wrong_reference_is_refused_inline_and_a_good_one_linked(github_desk: ServedDesk) -> None:
    desk, world = github_desk.desk, github_desk.world
    ref, _ = filed(github_desk)
    before = len(desk.slack.views_opened())
    assert desk.click(AGENT, "ticket.link_bug", ref).status == 200
    view = desk.wait_for_view(before)
    refused = desk.submit(view, AGENT, {"bug": "https://github.com/someone-else/repo/issues/3"})
    assert refused.body["response_action"] == "errors" and "bug" in refused.body["errors"]
    world.tracker.add_issue("Exports fail", milestone="5.2.4")
    assert desk.submit(view, AGENT, {"bug": "#1"}).status == 200
    assert [e.type for e in world.ticket(ref).events][-1] is EventKind.BUG_LINKED


def closed_webhook(served: ServedDesk, number: int, *, milestone: str | None = "5.2.4") -> tuple[bytes, dict]:
    issue = served.world.tracker.set_state(number, state="closed", state_reason="completed", milestone=milestone)
    return github_webhook(WEBHOOK_SECRET, action="closed", issue=issue, repo=served.world.tracker.repo)


def test_githubs_signed_webhook_closes_the_bug_and_each_party_hears_what_it_may(github_desk: ServedDesk) -> None:
    desk, world = github_desk.desk, github_desk.world
    ref, view = filed(github_desk)
    desk.submit(view, AGENT, initial_values(view))
    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone"}).status == 200
    world.run_jobs()
    world.deliver()
    dms_before = len(world.slack.dm(ADMIN))

    raw, headers = closed_webhook(github_desk, 1)
    answer = github_desk.webhook("/webhooks/github", raw, headers)
    assert answer.status_code == 200 and answer.json()["tickets"] == [ref]
    world.deliver()
    [told] = [m for m in world.slack.thread(world.ticket(ref).slack_channel or "", world.ticket(ref).slack_ts or "")
              if "trackforce/platform#1" in m.text and "5.2.4" in m.text]
    assert f"<@{AGENT}>" in told.text and "proposez la résolution" in told.text
    assert "ticket.propose" in json.dumps(told.blocks)  # the agent proposes the resolution from there
    new_dms = [m.text for m in world.slack.dm(ADMIN)[dms_before:]]
    assert any("fixed in version 5.2.4" in t for t in new_dms)
    assert not any("trackforce" in t or "github" in t.lower() or "http" in t for t in new_dms)

    # The same delivery again (GitHub retries): nothing new to tell.
    assert github_desk.webhook("/webhooks/github", raw, headers).json()["tickets"] == []


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc"])
def test_an_unsigned_or_wrongly_signed_webhook_gets_401_and_changes_nothing(github_desk: ServedDesk,
                                                                           signature: str | None) -> None:
    world = github_desk.world
    ref, view = filed(github_desk)
    github_desk.desk.submit(view, AGENT, initial_values(view))
    world.run_jobs()
    before = world.ticket(ref)
    raw, headers = closed_webhook(github_desk, 1)
    del headers["X-Hub-Signature-256"]
    if signature:
        headers["X-Hub-Signature-256"] = signature
    assert github_desk.webhook("/webhooks/github", raw, headers).status_code == 401
    after = world.ticket(ref)
    assert (after.version, after.events) == (before.version, before.events)
    # Signed for another body: refused as well.
    _, good_headers = closed_webhook(github_desk, 1)
    assert github_desk.webhook("/webhooks/github", raw + b" ", good_headers).status_code == 401


def test_an_unknown_issue_is_ignored_and_logged(github_desk: ServedDesk, caplog: pytest.LogCaptureFixture) -> None:
    world = github_desk.world
    world.tracker.add_issue("Nobody linked this one")
    raw, headers = closed_webhook(github_desk, 1)
    with caplog.at_level(logging.INFO, logger="astreinte.trackers.webhooks"):
        answer = github_desk.webhook("/webhooks/github", raw, headers)
    assert answer.status_code == 202 and answer.json()["unknown"] == "trackforce/platform#1"
    assert any("linked to no ticket; ignored" in r.getMessage() for r in caplog.records)


def signed(raw: bytes, event: str = "issues") -> dict[str, str]:
    import hashlib
    import hmac

    return {"Content-Type": "application/json", "X-GitHub-Event": event,
            "X-Hub-Signature-256": "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()}


@pytest.mark.parametrize(("raw", "status"), [
    (b"not json", 400), (b"[1, 2]", 400),
    (b'{"action": "closed", "issue": {"state": "closed"}, "repository": {"full_name": "trackforce/platform"}}', 400),
    (b'{"action": "closed", "issue": {"number": 1, "state": "closed"}, "repository": {"full_name": "other/repo"}}',
     202),
    (b'{"action": "created", "comment": {"body": "internal"}}', 202),
])
def test_a_signed_but_unreadable_or_foreign_delivery_changes_nothing(github_desk: ServedDesk, raw: bytes,
                                                                      status: int) -> None:
    event = "issue_comment" if b"comment" in raw else "issues"
    assert github_desk.webhook("/webhooks/github", raw, signed(raw, event)).status_code == status
    assert github_desk.webhook("/webhooks/github", b"x" * ((1 << 20) + 1), signed(b"")).status_code == 413
