"""A root-cause analysis over real signed HTTP, the real sender and the recording fake
Slack: an agent starts it from the closed ticket's root post and edits the draft, submits
it, a lead approves it from the leads' channel (an agent may not), and the reporter gets
the whole document by DM in their language while the ticket's thread records it. The
reporter asks for one from their card, once; both work on a ticket still open too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.delivery import Sender
from sla_core.rca import service as rca
from sla_core.rca.model import RcaStatus
from tests.slack_e2e.conftest import ADMIN, AGENT, HOLDER, LEAD, T0, Desk, blocks_text, buttons, deliver

LEADS_CHANNEL = "C0SUPLEAD"


def click(desk: Desk, user: str, action_id: str, message: Any, value: str) -> Any:
    block_id = next(b.get("block_id", "") for b in message.blocks or [] if b.get("type") == "actions"
                    and any(e["action_id"] == action_id for e in b["elements"]))
    return desk.timed(desk.sim.block_action, action_id, value=value, user_id=user, block_id=block_id,
                      message={"ts": message.ts, "text": message.text}, channel_id=message.channel)


def closed_ticket(desk: Desk, sender: Sender, reporter: str = ADMIN, **form: str) -> str:
    ref = desk.report(reporter, **form).ref  # Friday 19:30, Critical
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "calling"})
    desk.clock.now = T0 + timedelta(minutes=40)
    desk.act(AGENT, "ticket.propose", ref, {"kind": "fix", "text": "Rotated the signing key"})
    deliver(sender)
    desk.clock.now = T0 + timedelta(minutes=45)
    assert click(desk, reporter, "reporter.accept", desk.slack.dm(reporter)[0], ref).status == 200
    deliver(sender)
    desk.clock.now = T0 + timedelta(minutes=50)
    assert click(desk, AGENT, "ticket.close", desk.slack.messages("C0SUPCRIT")[0], ref).status == 200
    deliver(sender)
    return ref


FIRST = {"summary": "Logins failed for 80 minutes.", "impact_start": "2026-11-20 19:10", "impact_end": "",
         "impact_who": "All ACME users", "root_cause": "", "resolution": "The key was rotated.",
         "actions": "corrective | Rotate keys | Ops | 2026-12-01\npreventive | Alert before expiry | SRE | 2026-12-15",
         "then": "save"}


def test_start_edit_submit_approve_and_the_reporter_receives_it(desk: Desk, sender: Sender) -> None:
    ref = closed_ticket(desk, sender)
    root = desk.slack.messages("C0SUPCRIT")[0]
    assert "rca.start" in buttons(root)

    # A date nobody can read is refused inline, on its input; nothing is saved.
    desk.clock.now = T0 + timedelta(hours=2)
    answer = desk.act(AGENT, "rca.start", ref, {**FIRST, "impact_start": "friday evening"})
    assert answer.body["response_action"] == "errors" and "impact_start" in answer.body["errors"]
    assert rca.versions(desk.ctx.uow(), ticket_ref=ref) == []

    assert desk.act(AGENT, "rca.start", ref, FIRST).status == 200
    # Submitting without a root cause is refused on the modal, the draft kept.
    answer = desk.act(AGENT, "rca.start", ref, {**FIRST, "then": "submit"})
    assert answer.body["response_action"] == "errors"
    assert "root_cause" in next(iter(answer.body["errors"].values()))

    # The modal opens again on the draft as saved; the agent completes it and submits.
    before = len(desk.slack.views_opened())
    desk.click(AGENT, "rca.start", ref)
    reopened = desk.wait_for_view(before)
    assert "Logins failed for 80 minutes." in blocks_text(reopened) and "2026-11-20 19:10" in blocks_text(reopened)
    assert desk.submit(reopened, AGENT, {**FIRST, "root_cause": "An expired signing key.", "then": "submit"}
                       ).status == 200
    draft = rca.latest(desk.ctx.uow(), ticket_ref=ref, sent_only=False)
    assert (draft.version, draft.status, draft.edits) == (1, RcaStatus.SUBMITTED, 3)
    deliver(sender)
    assert not [m for m in desk.slack.dm(ADMIN) if "root-cause analysis of your ticket" in m.text]

    request = desk.slack.messages(LEADS_CHANNEL)[-1]
    assert buttons(request) == ["rca.approve"] and "An expired signing key." in blocks_text({"blocks": request.blocks})
    refused = click(desk, AGENT, "rca.approve", request, ref)
    answers = desk.slack.wait_for(lambda: desk.slack.responses(refused.response_url_name))
    assert "Only support leads can approve a root-cause analysis." in answers[0].body["text"]

    desk.clock.now = T0 + timedelta(hours=3)
    assert click(desk, LEAD, "rca.approve", request, ref).status == 200
    deliver(sender)
    document = desk.slack.dm(ADMIN)[-1]
    shown = blocks_text({"blocks": document.blocks})
    assert document.text.startswith(f"Here is the root-cause analysis of your ticket *{ref}*")
    for part in ("Summary", "Customer impact", "Timeline", "SLA figures", "Root cause", "Resolution",
                 "Corrective and preventive actions", "An expired signing key.", "Rotate keys — owner Ops",
                 "Support called back (by phone)", "Callback: target 1 h"):
        assert part in shown, part
    assert "<!date^" in shown  # times in each reader's own time zone
    thread = [m.text for m in desk.slack.thread("C0SUPCRIT", root.ts)]  # the channel speaks app.yaml's French
    assert thread[-2:] == [f"<@{LEAD}> a approuvé la version 1 de l'analyse des causes.",
                           f":page_facing_up: La version 1 de l'analyse des causes de {ref} a été envoyée au demandeur."]

    # Approving twice sends nothing more.
    click(desk, LEAD, "rca.approve", request, ref)
    deliver(sender)
    assert len([m for m in desk.slack.dm(ADMIN) if "root-cause analysis of your ticket" in m.text]) == 1


def test_the_reporter_asks_from_their_card_once_and_reads_it_in_french(desk: Desk, sender: Sender) -> None:
    ref = closed_ticket(desk, sender, reporter=HOLDER, language="fr")
    card = desk.slack.dm(HOLDER)[0]
    assert buttons(card) == ["reporter.rca"]
    assert "Demander une analyse des causes" in blocks_text({"blocks": card.blocks})
    assert click(desk, HOLDER, "reporter.rca", card, ref).status == 200
    deliver(sender)
    assert buttons(desk.slack.dm(HOLDER)[0]) == []  # asked: the button goes
    root = desk.slack.messages("C0SUPCRIT")[0]
    assert desk.slack.thread("C0SUPCRIT", root.ts)[-1].text == (
        f"<@{HOLDER}> a demandé une analyse des causes principales de {ref}.")
    again = click(desk, HOLDER, "reporter.rca", card, ref)  # the old card, clicked again
    answers = desk.slack.wait_for(lambda: desk.slack.responses(again.response_url_name))
    assert "déjà été demandée" in answers[0].body["text"]

    desk.ctx.rca = desk.ctx.rca.__class__(approval_required=False)
    assert desk.act(AGENT, "rca.start", ref, {**FIRST, "root_cause": "Une clé expirée.", "then": "submit"}
                    ).status == 200
    deliver(sender)
    document = desk.slack.dm(HOLDER)[-1]
    assert document.text.startswith(f"Voici l'analyse des causes principales de votre ticket *{ref}*")
    assert "Chronologie" in blocks_text({"blocks": document.blocks})


def test_the_scheduler_reminds_the_agent_then_tells_the_thread_it_is_late(desk: Desk, sender: Sender) -> None:
    from bot.scheduling import tick_once
    from sla_core.rca.due import rca_due, reminder_at

    ref = closed_ticket(desk, sender)  # Critical: required; resolved Friday 20:15, out of hours
    due = rca_due(desk.ctx.policy, desk.ctx.rca, resolved_at=desk.ticket(ref).resolved_at)
    desk.clock.now = reminder_at(desk.ctx.policy, desk.ctx.rca, due_at=due)
    tick_once(desk.ctx)
    tick_once(desk.ctx)  # another replica, or the next pass: nothing more
    deliver(sender)
    reminders = [m for m in desk.slack.dm(AGENT) if ref in m.text]
    assert len(reminders) == 1 and reminders[0].text.startswith(f"<@{AGENT}>: the root-cause analysis of")

    desk.clock.now = due
    tick_once(desk.ctx)
    deliver(sender)
    root = desk.slack.messages("C0SUPCRIT")[0]
    late = desk.slack.thread("C0SUPCRIT", root.ts)[-1]
    assert late.text.startswith(":rotating_light: L'analyse des causes de") and "est en retard" in late.text


def test_an_open_ticket_offers_both_and_its_rca_can_start_and_be_asked_for(desk: Desk, sender: Sender) -> None:
    """Issue 14: the reporter may ask, and an agent may start, on any ticket, open or not."""
    ref = desk.report(ADMIN).ref  # Friday 19:30, Critical, just opened
    desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "calling"})
    deliver(sender)
    assert desk.ticket(ref).status.is_open
    root = desk.slack.messages("C0SUPCRIT")[0]
    assert buttons(root)[-1] == "rca.start" and "ticket.propose" in buttons(root)
    card = desk.slack.dm(ADMIN)[0]
    assert buttons(card) == ["reporter.rca"]

    desk.clock.now = T0 + timedelta(minutes=20)
    assert click(desk, ADMIN, "reporter.rca", card, ref).status == 200
    deliver(sender)
    assert buttons(desk.slack.dm(ADMIN)[0]) == []  # asked: the button goes, the ticket stays open
    assert desk.ticket(ref).status.is_open
    assert desk.slack.thread("C0SUPCRIT", root.ts)[-1].text == (
        f"<@{ADMIN}> a demandé une analyse des causes principales de {ref}.")
    again = click(desk, ADMIN, "reporter.rca", card, ref)
    answers = desk.slack.wait_for(lambda: desk.slack.responses(again.response_url_name))
    assert "already" in answers[0].body["text"]

    # The agent starts it from the root post while the incident is still being worked on.
    desk.clock.now = T0 + timedelta(minutes=30)
    assert desk.act(AGENT, "rca.start", ref, FIRST).status == 200
    draft = rca.latest(desk.ctx.uow(), ticket_ref=ref, sent_only=False)
    assert (draft.version, draft.status) == (1, RcaStatus.DRAFT)
    assert desk.act(AGENT, "rca.start", ref, {**FIRST, "root_cause": "An expired signing key.", "then": "submit"}
                    ).status == 200
    deliver(sender)
    request = desk.slack.messages(LEADS_CHANNEL)[-1]
    assert buttons(request) == ["rca.approve"] and "An expired signing key." in blocks_text({"blocks": request.blocks})
    assert desk.ticket(ref).status.is_open
