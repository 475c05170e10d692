"""The customer's shared channel thread gets what the reporter is told and nothing else:
every event kind is sent, and only the receipt and the declared customer-visible events
(CUSTOMER_VISIBLE, from the actions' declarations) are addressed to it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from sla_core.outbox.address import SharedThread
from sla_core.outbox.codec import decode_address, encode_address
from sla_core.outbox.ticket_notices import notices_for
from sla_core.tickets.actions import CUSTOMER_VISIBLE, EventKind
from sla_core.tickets.views import EventView

AT = datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)  # the night clocks change in Paris


def _event(kind: EventKind) -> EventView:
    # What the notices read of an event's payload: the new severity, the linked bug.
    payload = {"to": "critical", "severity": "critical", "tracker": "github", "key": "trackforce/platform#42"}
    return EventView(ticket_ref="INC-2026-000001", seq=2, type=kind, actor_id="U0AGENT01", role="agent", at=AT,
                     payload=payload)


@pytest.mark.parametrize("kind", list(EventKind))
def test_only_customer_visible_events_reach_the_shared_thread(kind: EventKind) -> None:
    shared = [n for n in notices_for(7, _event(kind), shared=True) if isinstance(n.address, SharedThread)]
    if kind is EventKind.OPENED or kind in CUSTOMER_VISIBLE:
        assert shared, f"{kind.value} is told to the customer, in their shared thread too"
    else:
        assert shared == [], f"{kind.value} is internal and must never reach a shared channel"
    assert EventKind.INTERNAL_NOTE not in CUSTOMER_VISIBLE


@pytest.mark.parametrize("kind", list(EventKind))
def test_a_ticket_not_opened_in_its_shared_channel_has_no_shared_thread(kind: EventKind) -> None:
    assert not [n for n in notices_for(7, _event(kind)) if isinstance(n.address, SharedThread)]


def test_the_address_is_stored_readably() -> None:
    assert encode_address(SharedThread()) == "shared_thread"
    assert decode_address("shared_thread") == SharedThread()
