"""Over the real wires: what the severity channel's root post says about a ticket is what
``/incident status`` answers about it, word for word (status and SLA clocks)."""

from __future__ import annotations

import re

from bot.delivery import Sender
from tests.slack_e2e.conftest import ADMIN, AGENT, HOLDER, Desk

CRITICAL_CHANNEL = "C0SUPCRIT"


def channel_says(desk: Desk) -> tuple[str, list[str]]:
    """The status and the clock lines of the root post as Slack holds it now."""
    root = desk.slack.messages(CRITICAL_CHANNEL)[0]
    cells = [f["text"] for b in root.blocks for f in b.get("fields", [])]
    [status] = [c.split("\n", 1)[1] for c in cells if c.startswith("*Statut*")]
    [clocks] = [b["elements"][0]["text"] for b in root.blocks if b["type"] == "context"]
    return status, clocks.split("\n")[1:]


def status_says(desk: Desk, ref: str) -> tuple[str, list[str]]:
    """The same, from ``/incident status`` asked by a French-speaking administrator."""
    _line, status, *clocks = desk.command(HOLDER, f"status {ref}").body["text"].split("\n")
    return re.sub(r"^Statut : ", "", status), clocks


def test_the_root_post_and_incident_status_describe_the_ticket_the_same_way(desk: Desk) -> None:
    sender = Sender(desk.ctx, "test-sender", channel_interval=0)
    ref = desk.report(ADMIN).ref
    while sender.run_once():
        pass
    opened = channel_says(desk)
    assert opened == status_says(desk, ref)
    assert opened[0] == "Pas encore pris en charge" and opened[1][0].startswith("Rappel : en cours, échéance <!date^")

    assert desk.act(AGENT, "ticket.acknowledge", ref, {"channel": "phone", "note": "called back"}).status == 200
    while sender.run_once():
        pass
    acknowledged = channel_says(desk)
    assert acknowledged == status_says(desk, ref)
    assert acknowledged[0] == "Pris en charge" and acknowledged[1][0] == "Rappel : respecté"
    assert len(desk.slack.messages(CRITICAL_CHANNEL)[0].edits) == 1  # the root post was re-rendered
