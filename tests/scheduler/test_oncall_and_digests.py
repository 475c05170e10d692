"""Who is on call (weekly rotation handed over at Monday 09:00 local, overrides) and
digests (more than ``digest_threshold`` notices for one channel in one pass)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla_core.outbox import store
from sla_core.oncall import set_override, who_is_on_call
from sla_core.severity import Severity
from tests.scheduler.desk import Desk, paris


@pytest.mark.parametrize(("instant", "primary", "secondary"), [
    ("2026-01-05 08:59", "U0AGENT02", "U0ONCALL1"),  # before the first hand-over: the last of the cycle
    ("2026-01-05 09:00", "U0ONCALL1", "U0AGENT01"),
    ("2026-03-30 08:59+02:00", "U0AGENT02", "U0ONCALL1"),  # the Monday after spring forward
    ("2026-03-30 09:00+02:00", "U0ONCALL1", "U0AGENT01"),  # 07:00 UTC, not 08:00
    ("2026-03-29 03:30+02:00", "U0AGENT02", "U0ONCALL1"),
    ("2026-10-25 02:30+01:00", "U0AGENT02", "U0ONCALL1"),  # the second 02:30 of the fall-back night
    ("2026-10-26 08:59+01:00", "U0AGENT02", "U0ONCALL1"),
    ("2026-10-26 09:00+01:00", "U0ONCALL1", "U0AGENT01"),  # 08:00 UTC, not 07:00
    ("2026-11-23 22:00", "U0AGENT01", "U0AGENT02"),
], ids=["before-start", "first-handover", "spring-0859", "spring-0900", "spring-night", "fall-night",
        "fall-0859", "fall-0900", "week-46"])
def test_the_rotation_hands_over_on_monday_at_nine_local_time(desk: Desk, instant: str, primary: str,
                                                              secondary: str) -> None:
    on_call = who_is_on_call(desk.uow(), policy=desk.policy, config=desk.config, now=paris(instant))
    assert (on_call.primary, on_call.secondary, on_call.source) == (primary, secondary, "rotation")
    assert on_call.until is not None and on_call.until.astimezone(desk.policy.timezone).strftime("%a %H:%M") \
        == "Mon 09:00"


def test_the_hand_over_instant_follows_the_local_clock(desk: Desk) -> None:
    on_call = who_is_on_call(desk.uow(), policy=desk.policy, config=desk.config,
                             now=paris("2026-03-27 12:00"))
    assert on_call.until == paris("2026-03-30 09:00+02:00")


def test_an_override_wins_for_its_span_and_the_rotation_comes_back_after(desk: Desk) -> None:
    def at(text: str) -> tuple[str | None, str | None, str]:
        oc = who_is_on_call(desk.uow(), policy=desk.policy, config=desk.config, now=paris(text))
        return oc.primary, oc.secondary, oc.source

    set_override(desk.uow(), user_id="ULEAD1", starts_at=paris("2026-11-20 18:00"),
                 ends_at=paris("2026-11-23 09:00"), set_by="ULEAD1", now=paris("2026-11-20 12:00"))
    set_override(desk.uow(), user_id="UAGENT2", starts_at=paris("2026-11-21 08:00"),
                 ends_at=paris("2026-11-21 20:00"), set_by="ULEAD1", now=paris("2026-11-20 12:00"))
    assert at("2026-11-20 17:59") == ("U0ONCALL1", "U0AGENT01", "rotation")
    assert at("2026-11-20 18:00") == ("ULEAD1", "U0ONCALL1", "override")  # the rotation's primary backs up
    assert at("2026-11-21 12:00") == ("UAGENT2", "U0ONCALL1", "override")  # the latest override wins
    assert at("2026-11-21 20:00") == ("ULEAD1", "U0ONCALL1", "override")
    assert at("2026-11-23 09:00") == ("U0AGENT01", "U0AGENT02", "rotation")  # also the new week


def test_pages_go_to_whoever_the_override_names(desk: Desk) -> None:
    set_override(desk.uow(), user_id="ULEAD1", starts_at=paris("2026-11-20 18:00"),
                 ends_at=paris("2026-11-23 09:00"), set_by="ULEAD1", now=paris("2026-11-20 12:00"))
    desk.open(Severity.CRITICAL, paris("2026-11-20 19:30"))
    desk.walk(paris("2026-11-20 20:00:10"), step=timedelta(minutes=5))
    assert [line.split(" | ")[1] for line in desk.take() if "channel" in line] == [
        "Fri 20 19:30 page channel on_call critical_out_of_hours users=ULEAD1",
        "Fri 20 19:45 page channel on_call critical_out_of_hours users=ULEAD1",
        "Fri 20 20:00 page channel on_call critical_out_of_hours users=ULEAD1,U0ONCALL1",
    ]


def test_more_than_the_threshold_for_one_channel_becomes_one_digest_never_sent_twice(
        desk: Desk) -> None:
    assert desk.config.digest_threshold == 5
    for _ in range(6):
        desk.open(Severity.LOW, paris("2026-11-23 10:00"))
    desk.walk(paris("2026-11-24 14:31"), step=timedelta(hours=1))
    assert desk.take() == [
        *["@Tue 24 14:30:05 | Tue 24 14:30 at_risk thread callback digested"] * 6,
        "@Tue 24 14:30:05 | Tue 24 14:30 digest channel severity:low items=6",
    ]
    digest = next(r for r in desk.rows() if r.kind == "digest")
    assert sorted(item["ref"] for item in digest.payload["items"]) == [f"INC-2026-00000{i}" for i in range(1, 7)]

    # The sender's claim takes the digest and never its constituents.
    with desk.uow() as uow:
        claimed = store.claim(uow.session, worker="w1", now=paris("2026-11-24 14:32"), lease=timedelta(minutes=5),
                              limit=1000)
        uow.commit()
    scheduler_claimed = [e.kind.value for e in claimed if e.kind.value in ("at_risk", "digest")]
    assert scheduler_claimed == ["digest"]

    # Deciding the same pass again adds no second digest.
    desk.make_due(paris("2026-11-24 14:32"))
    desk.tick(paris("2026-11-24 14:32"))
    assert desk.take() == []


def test_the_threshold_itself_is_sent_one_by_one(desk: Desk) -> None:
    for _ in range(5):
        desk.open(Severity.LOW, paris("2026-11-23 10:00"))
    desk.walk(paris("2026-11-24 14:31"), step=timedelta(hours=1))
    assert desk.take() == ["@Tue 24 14:30:05 | Tue 24 14:30 at_risk thread callback"] * 5
