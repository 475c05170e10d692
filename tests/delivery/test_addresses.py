"""``compose.destination``: the one place an address becomes a Slack channel, for every
member of the union, with app.yaml's wiring."""

from __future__ import annotations

import dataclasses

import pytest

from bot.delivery.compose import Destination, Undeliverable, WaitForRoot, destination
from sla_core.config import load_config
from sla_core.outbox.address import (
    Address, AnnouncementChannel, DirectMessage, EscalationRung, Fallback, RootPost, Rung, SeverityChannel,
    TicketThread,
)
from sla_core.severity import Severity
from tests.delivery.conftest import REPO, REPORTER, World

WIRING = load_config(REPO / "app.yaml").slack
ROOT_TS = "1700000000.000100"

CASES: list[tuple[Address, Destination]] = [
    (RootPost(), Destination(channel="C0SUPIMPT", edit_ts=ROOT_TS)),
    (TicketThread(), Destination(channel="C0SUPIMPT", thread_ts=ROOT_TS)),
    (TicketThread(broadcast=True), Destination(channel="C0SUPIMPT", thread_ts=ROOT_TS, broadcast=True)),
    (SeverityChannel(), Destination(channel="C0SUPCRIT")),  # the ticket's severity now
    (SeverityChannel(severity=Severity.LOW), Destination(channel="C0SUPLOW0")),
    (EscalationRung(rung=Rung.LEADS), Destination(channel="C0SUPLEAD")),
    (EscalationRung(rung=Rung.ON_CALL), Destination(channel="C0ONCALL0")),
    (DirectMessage(), Destination(dm_user=REPORTER)),
    (DirectMessage(user_id="U0ONCALL1"), Destination(dm_user="U0ONCALL1")),
    (AnnouncementChannel(), Destination(channel="C0SUPNEWS")),
    (AnnouncementChannel(otherwise=Fallback.LEADS), Destination(channel="C0SUPLEAD")),
    (AnnouncementChannel(channel="C0REPORTS", otherwise=Fallback.LEADS), Destination(channel="C0REPORTS")),
]


@pytest.mark.parametrize(("address", "expected"), CASES, ids=[repr(a) for a, _ in CASES])
def test_each_address_goes_to_its_channel(world: World, address: Address, expected: Destination) -> None:
    ticket = world.open_critical()  # the root post was made in the Important channel, then it moved
    ticket = dataclasses.replace(ticket, slack_channel="C0SUPIMPT", slack_ts=ROOT_TS)
    assert destination(WIRING, address, ticket) == expected


def test_a_thread_waits_for_its_root_and_a_ticket_address_needs_a_ticket(world: World) -> None:
    ticket = world.open_critical()
    for address in (RootPost(), TicketThread()):
        with pytest.raises(WaitForRoot):
            destination(WIRING, address, ticket)
        with pytest.raises(Undeliverable):
            destination(WIRING, address, None)
    with pytest.raises(Undeliverable):
        destination(WIRING, DirectMessage(), None)
    with pytest.raises(Undeliverable):
        destination(WIRING, SeverityChannel(), None)
