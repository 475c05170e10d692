"""Critical out of business hours (readings 9 and 10): on-call paged at once and every
``page_every`` until the callback, the secondary from ``secondary_after``; the callback's
at-risk warning at 75 %; the breach climbing thread → leads → on-call every 30 minutes."""

from __future__ import annotations

from datetime import timedelta

from sla_core.severity import Severity
from tests.scheduler.desk import AGENT, PRIMARY_WEEK0 as P1, PRIMARY_WEEK1 as P2, Desk, paris

OOH = "critical_out_of_hours"


def pages(at: str, *, secondary: bool, reason: str = OOH, clock: str = "") -> list[str]:
    """The rows of one page: a DM to each person, one mention in the on-call channel."""
    c = f" {clock}" if clock else ""
    people = [P1, P2] if secondary else [P1]
    dms = [f"{at} page user{c} {p} {reason}" for p in people]
    return [*dms, f"{at} page channel{c} on_call {reason} users={','.join(people)}"]


def test_critical_opened_friday_evening_pages_warns_and_climbs_the_chain_until_acknowledged(desk: Desk) -> None:
    ref = desk.open(Severity.CRITICAL, paris("2026-11-20 19:30"))
    desk.walk(paris("2026-11-20 22:05"), step=timedelta(minutes=5))

    d = "Fri 20"
    expected = [
        *[f"@{d} 19:30:05 | {x}" for x in pages(f"{d} 19:30", secondary=False)],
        *[f"@{d} 19:45:05 | {x}" for x in pages(f"{d} 19:45", secondary=False)],
        *[f"@{d} 20:00:05 | {x}" for x in pages(f"{d} 20:00", secondary=True)],
        f"@{d} 20:15:05 | {d} 20:15 at_risk thread callback",
        *[f"@{d} 20:15:05 | {x}" for x in pages(f"{d} 20:15", secondary=True)],
        f"@{d} 20:30:05 | {d} 20:30 breach thread callback level=0",
        *[f"@{d} 20:30:05 | {x}" for x in pages(f"{d} 20:30", secondary=True)],
        *[f"@{d} 20:45:05 | {x}" for x in pages(f"{d} 20:45", secondary=True)],
        f"@{d} 21:00:05 | {d} 21:00 breach channel callback leads level=1",
        *[f"@{d} 21:00:05 | {x}" for x in pages(f"{d} 21:00", secondary=True)],
        *[f"@{d} 21:15:05 | {x}" for x in pages(f"{d} 21:15", secondary=True)],
        # The breach reaches on-call at 21:30: one page for that instant, not two.
        *[f"@{d} 21:30:05 | {x.replace(' level=2', '')}" for x in
          pages(f"{d} 21:30", secondary=True, reason="callback_breached", clock="callback")],
        *[f"@{d} 21:45:05 | {x}" for x in pages(f"{d} 21:45", secondary=True)],
        *[f"@{d} 22:00:05 | {x}" for x in
          pages(f"{d} 22:00", secondary=True, reason="callback_breached", clock="callback")],
    ]
    assert desk.take() == expected

    # The callback (22:10) stops the pages and the escalation; the update clock starts:
    # its reminder at 75 % of 90 minutes goes to the thread, naming the agent.
    desk.act("acknowledge", ref, paris("2026-11-20 22:10"))
    desk.walk(paris("2026-11-21 00:30"), step=timedelta(minutes=5))
    assert desk.take() == [
        f"@{d} 23:17:35 | {d} 23:17 reminder thread update agent={AGENT}",
        f"@{d} 23:40:05 | {d} 23:40 breach thread update level=0",
        f"@Sat 21 00:10:05 | Sat 21 00:10 breach channel update leads level=1",
    ]
