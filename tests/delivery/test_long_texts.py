"""Texts typed at their limit (``sla_core.field_limits``) reach Slack whole: each is quoted
back in one section (at most 3000 characters) with the sentence around it and the
ticket's title, in the thread and in the reporter's DM, in French and in English."""

from __future__ import annotations

import pytest

from sla_core.field_limits import ACTION_TEXTS, TICKET_FIELDS
from sla_core.severity import Severity
from tests.delivery.conftest import AGENT, CRITICAL_CHANNEL, IMPORTANT_CHANNEL, REPORTER, World, texts

SECTION_MAX = 3000  # Slack's limit on a section's text


def typed(letter: str, block: str) -> str:
    """A text of exactly the limit, recognisable by its first letter."""
    return letter * ACTION_TEXTS[block].max_length


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_text_at_its_limit_reaches_the_thread_and_the_reporter_whole(world: World, language: str) -> None:
    ticket = world.open_critical(title="T" * TICKET_FIELDS["title"].max_length, language=language)
    ref = ticket.ref
    sender = world.sender()
    sender.run_once()  # the root post, in the Critical channel
    for actor, name, values in [
        (AGENT, "acknowledge", {"channel": "phone", "note": typed("a", "note")}),
        (AGENT, "post_update", {"text": typed("b", "text")}),
        (AGENT, "add_internal_note", {"text": typed("c", "text")}),
        (AGENT, "change_severity", {"severity": Severity.IMPORTANT, "reason": typed("d", "reason")}),
        (AGENT, "set_waiting_on_customer", {"question": typed("e", "question")}),
        (AGENT, "customer_replied", {"text": typed("f", "text")}),
        (AGENT, "propose_resolution", {"kind": "fix", "text": typed("g", "text")}),
        (REPORTER, "reject_resolution", {"reason": typed("h", "reason")}),
        (AGENT, "propose_resolution", {"kind": "workaround", "text": typed("i", "text")}),
        (REPORTER, "accept_resolution", {}),
        (AGENT, "reopen", {"reason": typed("j", "reason")}),
    ]:
        world.act(name, ref, actor, **values)
        sender.run_once()

    root = world.slack.messages(CRITICAL_CHANNEL)[0]
    thread = [texts(m) for m in world.slack.thread(CRITICAL_CHANNEL, root.ts)]
    dms = [texts(m) for m in world.slack.dm(REPORTER)]
    sent = [m for channel in (CRITICAL_CHANNEL, IMPORTANT_CHANNEL) for m in world.slack.messages(channel)]
    sent += [m for m in world.slack.dm(REPORTER)]
    for message in sent:
        for block in message.blocks or []:
            assert len((block.get("text") or {}).get("text", "")) <= SECTION_MAX
    for letter, block in zip("abcdefghij", ["note", "text", "text", "reason", "question", "text", "text",
                                            "reason", "text", "reason"], strict=True):
        assert any(typed(letter, block) in t for t in thread), f"thread: {letter} * {len(typed(letter, block))}"
    for letter in "abdegij":  # what the customer sees (not the internal note "c", not their own "f", "h")
        assert any(typed(letter, "text") in t for t in dms), f"reporter: {letter}"
    assert all("…" not in t for t in thread + dms)  # nothing cut short, the sentence around included
