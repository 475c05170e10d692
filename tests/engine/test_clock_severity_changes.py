"""Severity changes (contract reading 8) through ``compute_clocks``: an upgrade takes
min(current deadline, change + new target); a downgrade recomputes each running clock from
its original start with the new target, elapsed and paused time kept."""

from __future__ import annotations

from sla_core.policy import Policy
from sla_core.severity import Severity
from tests.engine.clockkit import IMPORTANT_TUE, S, T, ev, isos, run
from tests.engine.conftest import iso


# ---- reading 8: severity changes ---------------------------------------------------------
def test_an_upgrade_to_critical_takes_the_earlier_callback_and_resolution(policy: Policy) -> None:
    report = run(policy, Severity.LOW, "2026-11-23T10:00",
                 ev("2026-11-23T11:00", T.SEVERITY_CHANGED, Severity.CRITICAL), now="2026-11-23T11:00")
    assert report.severity is Severity.CRITICAL
    assert iso(report.callback.due) == "2026-11-23T12:00:00+01:00"
    assert isos(report.callback.warn_at) == ["2026-11-23T11:45:00+01:00"]
    assert iso(report.resolution.due) == "2026-11-24T10:00:00+01:00"  # Mon 11–18 + Tue 9–10


def test_an_upgrade_never_moves_a_deadline_later(policy: Policy) -> None:
    report = run(policy, Severity.LOW, "2026-11-23T10:00",
                 ev("2026-11-25T09:30", T.SEVERITY_CHANGED, Severity.IMPORTANT), now="2026-11-25T11:00")
    assert iso(report.callback.due) == "2026-11-25T10:00:00+01:00"  # Low's 2 business days, not 09:30 + 4 h
    assert report.callback.state is S.BREACHED
    assert iso(report.resolution.due) == "2026-11-27T15:30:00+01:00"  # 09:30 Wed + 24 BH beats 7 BD


def test_an_upgrade_shortens_the_running_update_clock(policy: Policy) -> None:
    report = run(policy, Severity.LOW, "2026-11-23T09:30", ev("2026-11-23T10:00", T.CALLBACK),
                 ev("2026-11-23T11:00", T.SEVERITY_CHANGED, Severity.CRITICAL), now="2026-11-23T11:00")
    assert iso(report.update.due) == "2026-11-23T12:30:00+01:00"  # not Low's Tue 10:00
    assert isos(report.update.warn_at) == ["2026-11-23T12:07:30+01:00"]
    assert report.callback.state is S.MET


def test_an_upgrade_while_paused_counts_the_new_target_from_the_resumption(policy: Policy) -> None:
    events = (ev("2026-11-24T10:30", T.CALLBACK), ev("2026-11-24T12:00", T.WAITING_ON_CUSTOMER),
              ev("2026-11-24T14:00", T.SEVERITY_CHANGED, Severity.CRITICAL))
    still_waiting = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, *events, now="2026-11-24T15:00")
    assert still_waiting.resolution.state is S.PAUSED
    assert still_waiting.update.state is S.PAUSED
    answered = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, *events,
                   ev("2026-11-25T10:00", T.CUSTOMER_REPLIED), now="2026-11-25T10:00")
    # Critical's 8 BH from Wed 10:00 end at 18:00 exactly, before Important's remaining 22 BH (Fri 14:00).
    assert iso(answered.resolution.due) == "2026-11-25T18:00:00+01:00"
    # Critical's 90 min from Wed 10:00 beat Important's remaining 2 h 30.
    assert iso(answered.update.due) == "2026-11-25T11:30:00+01:00"
    assert answered.resolution.state is S.RUNNING


def test_a_downgrade_recomputes_the_callback_from_the_opening(policy: Policy) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-23T10:00",
                 ev("2026-11-23T10:30", T.SEVERITY_CHANGED, Severity.LOW), now="2026-11-23T10:30")
    assert report.severity is Severity.LOW
    assert iso(report.callback.due) == "2026-11-25T10:00:00+01:00"  # 2 business days from Mon 10:00
    assert isos(report.callback.warn_at) == ["2026-11-24T14:30:00+01:00"]  # 13.5 BH, in business hours
    assert iso(report.resolution.due) == "2026-12-02T10:00:00+01:00"


def test_a_critical_opened_on_saturday_downgraded_to_low_waits_for_business_days(policy: Policy) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-21T10:00",
                 ev("2026-11-21T10:30", T.SEVERITY_CHANGED, Severity.LOW), now="2026-11-21T10:30")
    assert iso(report.callback.due) == "2026-11-24T18:00:00+01:00"
    assert iso(report.resolution.due) == "2026-12-01T18:00:00+01:00"


def test_a_downgrade_keeps_the_paused_time(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, ev("2026-11-24T10:30", T.CALLBACK),
                 ev("2026-11-24T12:00", T.WAITING_ON_CUSTOMER), ev("2026-11-25T15:00", T.CUSTOMER_REPLIED),
                 ev("2026-11-25T16:00", T.SEVERITY_CHANGED, Severity.LOW), now="2026-11-25T16:00")
    # Low's 63 BH from Tue 10:00: 2 h before the pause, 61 h from Wed 15:00.
    assert iso(report.resolution.due) == "2026-12-04T13:00:00+01:00"


def test_a_downgrade_can_lift_a_breach_of_a_running_clock(policy: Policy) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-23T10:00",
                 ev("2026-11-23T12:00", T.SEVERITY_CHANGED, Severity.LOW), now="2026-11-23T12:00")
    assert report.callback.state is S.RUNNING
    assert report.callback.breached_at is None


def test_a_downgrade_leaves_a_met_callback_as_it_was(policy: Policy) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-23T10:00", ev("2026-11-23T10:30", T.CALLBACK),
                 ev("2026-11-23T11:00", T.SEVERITY_CHANGED, Severity.LOW), now="2026-11-23T11:00")
    assert report.callback.state is S.MET
    assert iso(report.callback.due) == "2026-11-23T11:00:00+01:00"
    assert iso(report.callback.stopped_at) == "2026-11-23T10:30:00+01:00"


def test_a_downgrade_recomputes_the_update_clock_from_its_last_restart(policy: Policy) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-23T10:00", ev("2026-11-23T10:10", T.CALLBACK),
                 ev("2026-11-23T10:40", T.UPDATE), ev("2026-11-23T11:00", T.SEVERITY_CHANGED, Severity.IMPORTANT),
                 now="2026-11-23T11:00")
    assert iso(report.update.due) == "2026-11-23T14:40:00+01:00"


def test_a_change_to_the_same_severity_changes_nothing(policy: Policy) -> None:
    plain = run(policy, Severity.LOW, "2026-11-23T10:00", now="2026-11-23T11:00")
    same = run(policy, Severity.LOW, "2026-11-23T10:00",
               ev("2026-11-23T11:00", T.SEVERITY_CHANGED, Severity.LOW), now="2026-11-23T11:00")
    assert same == plain
