"""The SLA clocks (contract readings 4–9) through ``compute_clocks``: pauses, proposals,
rejection, acceptance and auto-acceptance, warnings (severity changes: test_clock_severity_changes.py),
every clock state, None's target and limit (when the scheduler looks again is the
tick's: ``tests/scheduler/test_next_due.py``).

Instants are Paris wall time; November 2026 has no holiday after the 11th, so business
days there are plain Monday–Friday 09:00–18:00 (9 business hours each)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from sla_core.policy import Policy
from sla_core.severity import ClockKind, Severity
from tests.engine.clockkit import CALLED_BACK, IMPORTANT_TUE, PROPOSED, S, T, ev, isos, run
from tests.engine.conftest import iso, paris

# ---- reading 6/7: pauses ------------------------------------------------------------------
def test_waiting_on_customer_pauses_resolution_but_never_the_callback(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, "2026-11-24T10:00",
                 ev("2026-11-24T10:30", T.WAITING_ON_CUSTOMER), now="2026-11-24T15:00")
    assert report.callback.state is S.BREACHED
    assert iso(report.callback.breached_at) == "2026-11-24T14:00:00+01:00"
    assert report.update.state is S.NOT_STARTED
    assert report.resolution.state is S.PAUSED
    # Shown as if the customer answered now: 30 min counted, 23 h 30 left from Tue 15:00.
    assert iso(report.resolution.due) == "2026-11-27T11:30:00+01:00"


def test_waiting_on_customer_pauses_the_update_clock_and_a_reply_resumes_it(policy: Policy) -> None:
    opened, callback, waiting = "2026-11-24T10:00", ev("2026-11-24T10:30", T.CALLBACK), \
        ev("2026-11-24T11:30", T.WAITING_ON_CUSTOMER)
    paused = run(policy, Severity.IMPORTANT, opened, callback, waiting, now="2026-11-24T12:00")
    assert paused.update.state is S.PAUSED
    assert iso(paused.update.due) == "2026-11-24T15:00:00+01:00"  # 3 h left, counted from now
    resumed = run(policy, Severity.IMPORTANT, opened, callback, waiting,
                  ev("2026-11-24T13:00", T.CUSTOMER_REPLIED), now="2026-11-24T13:00")
    assert resumed.update.state is S.RUNNING
    assert iso(resumed.update.due) == "2026-11-24T16:00:00+01:00"
    assert resumed.callback.state is S.MET


def test_a_callback_while_waiting_starts_the_update_clock_paused(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, "2026-11-24T10:00",
                 ev("2026-11-24T10:15", T.WAITING_ON_CUSTOMER), ev("2026-11-24T10:30", T.CALLBACK),
                 ev("2026-11-24T12:00", T.CUSTOMER_REPLIED), now="2026-11-24T12:00")
    assert report.update.state is S.RUNNING
    assert iso(report.update.started_at) == "2026-11-24T10:30:00+01:00"
    assert iso(report.update.due) == "2026-11-24T16:00:00+01:00"


def test_before_the_callback_only_the_callback_clock_runs_and_updates_are_ignored(policy: Policy) -> None:
    before = run(policy, Severity.IMPORTANT, "2026-11-24T10:00", ev("2026-11-24T10:20", T.UPDATE),
                 now="2026-11-24T10:30")
    assert before.update.state is S.NOT_STARTED
    assert before.update.due is None
    after = run(policy, Severity.IMPORTANT, "2026-11-24T10:00", ev("2026-11-24T10:20", T.UPDATE),
                ev("2026-11-24T10:40", T.CALLBACK), now="2026-11-24T10:40")
    assert iso(after.update.started_at) == "2026-11-24T10:40:00+01:00"
    assert iso(after.update.due) == "2026-11-24T14:40:00+01:00"


def test_every_update_restarts_the_update_clock_and_re_arms_its_warning(policy: Policy) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-23T10:00", ev("2026-11-23T10:20", T.CALLBACK),
                 ev("2026-11-23T11:00", T.UPDATE), now="2026-11-23T11:00")
    assert iso(report.update.started_at) == "2026-11-23T11:00:00+01:00"
    assert iso(report.update.due) == "2026-11-23T12:30:00+01:00"
    assert isos(report.update.warn_at) == ["2026-11-23T12:07:30+01:00"]


# ---- reading 7: proposals --------------------------------------------------------------------


def test_a_proposal_pauses_resolution_and_stops_the_update_clock(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED, now="2026-11-25T10:00")
    assert report.update.state is S.STOPPED
    assert iso(report.update.stopped_at) == "2026-11-24T14:00:00+01:00"
    assert report.update.breached_at is None
    assert report.resolution.state is S.PAUSED
    # 4 business hours counted before the proposal; 20 left if the customer answered now.
    assert iso(report.resolution.due) == "2026-11-27T12:00:00+01:00"
    assert iso(report.auto_accept_at) == "2026-12-01T14:00:00+01:00"  # 5 business days of silence
    assert report.resolved_at is None


def test_a_rejection_resumes_resolution_with_elapsed_time_kept_and_restarts_updates(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED,
                 ev("2026-11-25T10:00", T.RESOLUTION_REJECTED), now="2026-11-25T10:00")
    assert report.resolution.state is S.RUNNING
    assert iso(report.resolution.due) == "2026-11-27T12:00:00+01:00"  # 4 h + 20 h, Tue 14:00→Wed 10:00 not counted
    assert report.update.state is S.RUNNING
    assert iso(report.update.started_at) == "2026-11-25T10:00:00+01:00"
    assert iso(report.update.due) == "2026-11-25T14:00:00+01:00"
    assert report.auto_accept_at is None


def test_update_restart_on_rejection_is_a_setting(policy_with: Callable[..., Policy]) -> None:
    quiet = policy_with(lambda p: p.update({"update_restarts_on_rejection": False}))
    report = run(quiet, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED,
                 ev("2026-11-25T10:00", T.RESOLUTION_REJECTED), now="2026-11-25T10:00")
    assert report.update.state is S.STOPPED
    restarted = run(quiet, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED,
                    ev("2026-11-25T10:00", T.RESOLUTION_REJECTED), ev("2026-11-25T11:00", T.UPDATE),
                    now="2026-11-25T11:00")
    assert iso(restarted.update.due) == "2026-11-25T15:00:00+01:00"


def test_an_accepted_proposal_meets_the_resolution_clock(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED,
                 ev("2026-11-25T10:00", T.RESOLUTION_ACCEPTED), now="2026-11-26T10:00")
    assert report.resolution.state is S.MET
    assert iso(report.resolution.stopped_at) == "2026-11-25T10:00:00+01:00"
    assert iso(report.resolved_at) == "2026-11-25T10:00:00+01:00"
    assert report.update.state is S.STOPPED
    assert not any(clock.is_running for clock in report.clocks)  # nothing left for the scheduler


def test_a_proposal_in_time_accepted_after_the_original_due_is_met(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK,
                 ev("2026-11-26T15:00", T.RESOLUTION_PROPOSED), ev("2026-11-30T10:00", T.RESOLUTION_ACCEPTED),
                 now="2026-11-30T10:00")
    assert report.resolution.state is S.MET


def test_a_late_proposal_accepted_is_breached_at_the_due(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK,
                 ev("2026-11-27T11:00", T.RESOLUTION_PROPOSED), ev("2026-11-27T12:00", T.RESOLUTION_ACCEPTED),
                 now="2026-11-27T12:00")
    assert report.resolution.state is S.BREACHED
    assert iso(report.resolution.breached_at) == "2026-11-26T16:00:00+01:00"
    assert iso(report.resolution.stopped_at) == "2026-11-27T12:00:00+01:00"


AUTO_ACCEPT = [
    ("2026-12-01T13:59:59", S.PAUSED, None, "2026-12-01T14:00:00+01:00", "a-second-before-the-silence-ends"),
    ("2026-12-01T14:00", S.MET, "2026-12-01T14:00:00+01:00", None, "when-five-business-days-have-passed"),
    ("2026-12-10T10:00", S.MET, "2026-12-01T14:00:00+01:00", None, "long-after"),
]


@pytest.mark.parametrize(("now", "state", "resolved_at", "auto_accept_at"),
                         [row[:4] for row in AUTO_ACCEPT], ids=[row[4] for row in AUTO_ACCEPT])
def test_a_proposal_left_unanswered_for_five_business_days_is_accepted(
        policy: Policy, now: str, state: ClockStatus, resolved_at: str | None, auto_accept_at: str | None) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED, now=now)
    assert report.resolution.state is state
    assert iso(report.resolved_at) == resolved_at
    assert iso(report.auto_accept_at) == auto_accept_at
    if resolved_at is not None:
        assert iso(report.resolution.stopped_at) == resolved_at


def test_a_rejection_after_auto_acceptance_changes_nothing(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED,
                 ev("2026-12-02T10:00", T.RESOLUTION_REJECTED), now="2026-12-02T10:00")
    assert report.resolution.state is S.MET
    assert iso(report.resolved_at) == "2026-12-01T14:00:00+01:00"
    assert report.update.state is S.STOPPED


def test_a_late_proposal_auto_accepted_is_breached(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK,
                 ev("2026-11-27T11:00", T.RESOLUTION_PROPOSED), now="2026-12-10T10:00")
    assert report.resolution.state is S.BREACHED
    assert iso(report.resolution.breached_at) == "2026-11-26T16:00:00+01:00"
    assert iso(report.resolved_at) == "2026-12-04T11:00:00+01:00"


def test_the_auto_acceptance_silence_is_a_setting(policy_with: Callable[..., Policy]) -> None:
    brisk = policy_with(lambda p: p.update({"auto_accept_after": "2 business days"}))
    report = run(brisk, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK, PROPOSED, now="2026-11-25T10:00")
    assert iso(report.auto_accept_at) == "2026-11-26T14:00:00+01:00"


def test_a_reply_while_a_proposal_is_pending_keeps_resolution_paused(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK,
                 ev("2026-11-24T12:00", T.WAITING_ON_CUSTOMER), PROPOSED,
                 ev("2026-11-25T10:00", T.CUSTOMER_REPLIED), now="2026-11-26T10:00")
    assert iso(report.auto_accept_at) == "2026-12-01T14:00:00+01:00"  # still pending
    assert report.resolution.state is S.PAUSED
    # 2 h counted before waiting began; 22 h left, counted from now (Thu 10:00).
    assert iso(report.resolution.due) == "2026-11-30T14:00:00+01:00"


def test_a_reopened_ticket_resumes_resolution_without_counting_the_resolved_spell(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK,
                 ev("2026-11-24T14:00", T.RESOLUTION_ACCEPTED), ev("2026-11-26T10:00", T.REOPENED),
                 now="2026-11-26T10:00")
    assert report.resolution.state is S.RUNNING
    # 4 h counted before the resolution; 20 h left from Thu 10:00.
    assert iso(report.resolution.due) == "2026-11-30T12:00:00+01:00"


def test_a_reopened_ticket_restarts_its_update_clock(policy: Policy) -> None:
    report = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, CALLED_BACK,
                 ev("2026-11-24T14:00", T.RESOLUTION_ACCEPTED), ev("2026-11-26T10:00", T.REOPENED),
                 now="2026-11-26T10:00")
    assert report.resolved_at is None
    assert report.update.state is S.RUNNING
    assert iso(report.update.due) == "2026-11-26T14:00:00+01:00"


# ---- reading 9: warnings -----------------------------------------------------------------
def test_warnings_fall_in_business_hours_for_business_clocks(policy: Policy) -> None:
    report = run(policy, Severity.LOW, "2026-11-20T19:30", now="2026-11-20T19:30")
    assert isos(report.callback.warn_at) == ["2026-11-24T13:30:00+01:00"]
    assert isos(report.resolution.warn_at) == ["2026-11-30T11:15:00+01:00"]  # 47.25 BH from Mon 09:00


def test_a_pause_moves_the_deadline_and_re_arms_its_warning(policy: Policy) -> None:
    plain = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, now="2026-11-24T10:00")
    assert isos(plain.resolution.warn_at) == ["2026-11-26T10:00:00+01:00"]
    paused = run(policy, Severity.IMPORTANT, IMPORTANT_TUE, ev("2026-11-24T12:00", T.WAITING_ON_CUSTOMER),
                 ev("2026-11-25T15:00", T.CUSTOMER_REPLIED), now="2026-11-25T15:00")
    assert isos(paused.resolution.warn_at) == ["2026-11-27T13:00:00+01:00"]
    assert iso(paused.resolution.due) == "2026-11-30T10:00:00+01:00"


def test_an_upgrade_re_arms_the_warning_of_the_new_deadline(policy: Policy) -> None:
    report = run(policy, Severity.LOW, "2026-11-23T10:00",
                 ev("2026-11-25T11:00", T.SEVERITY_CHANGED, Severity.CRITICAL), now="2026-11-25T11:00")
    assert iso(report.resolution.due) == "2026-11-26T10:00:00+01:00"
    assert isos(report.resolution.warn_at) == ["2026-11-25T17:00:00+01:00"]


@pytest.fixture
def three_warnings(policy_with: Callable[..., Policy]) -> Policy:
    return policy_with(lambda p: p.update({"warnings": [0.9, 0.5, 0.75]}))


def test_every_configured_warning_fraction_is_armed_in_order(three_warnings: Policy) -> None:
    critical = run(three_warnings, Severity.CRITICAL, "2026-11-23T10:00", now="2026-11-23T10:00")
    assert isos(critical.callback.warn_at) == [
        "2026-11-23T10:30:00+01:00", "2026-11-23T10:45:00+01:00", "2026-11-23T10:54:00+01:00"]
    important = run(three_warnings, Severity.IMPORTANT, IMPORTANT_TUE, now=IMPORTANT_TUE)
    assert isos(important.resolution.warn_at) == [
        "2026-11-25T13:00:00+01:00", "2026-11-26T10:00:00+01:00", "2026-11-26T13:36:00+01:00"]
    assert iso(important.resolution.due) == "2026-11-26T16:00:00+01:00"


def test_every_warning_is_re_armed_when_a_pause_moves_the_deadline(three_warnings: Policy) -> None:
    report = run(three_warnings, Severity.IMPORTANT, IMPORTANT_TUE, ev("2026-11-24T12:00", T.WAITING_ON_CUSTOMER),
                 ev("2026-11-25T15:00", T.CUSTOMER_REPLIED), now="2026-11-25T15:00")
    # 12 business hours of pause move each warning by 12 BH.
    assert isos(report.resolution.warn_at) == [
        "2026-11-26T16:00:00+01:00", "2026-11-27T13:00:00+01:00", "2026-11-27T16:36:00+01:00"]


def test_a_clock_may_override_the_warning_fractions(policy_with: Callable[..., Policy]) -> None:
    own = policy_with(lambda p: p["severities"]["critical"].update(
        callback={"target": "60 minutes", "warnings": [0.5]}))
    report = run(own, Severity.CRITICAL, "2026-11-23T10:00", now="2026-11-23T10:00")
    assert isos(report.callback.warn_at) == ["2026-11-23T10:30:00+01:00"]
    assert isos(report.update.warn_at) == []  # the update clock has not started


# ---- states and breached_at --------------------------------------------------------------
STATES = [
    # (events, now, clock, state, due, breached_at, stopped_at)
    ((), "2026-11-23T10:30", "callback", S.RUNNING, "2026-11-23T11:00:00+01:00", None, None,
     "running-before-its-due"),
    ((), "2026-11-23T11:00", "callback", S.RUNNING, "2026-11-23T11:00:00+01:00", None, None,
     "still-running-at-the-due-instant"),
    ((), "2026-11-23T11:00:00.000001", "callback", S.BREACHED, "2026-11-23T11:00:00+01:00",
     "2026-11-23T11:00:00+01:00", None, "breached-a-microsecond-after-its-due"),
    ((("2026-11-23T11:00", T.CALLBACK),), "2026-11-23T12:00", "callback", S.MET, "2026-11-23T11:00:00+01:00",
     None, "2026-11-23T11:00:00+01:00", "met-when-stopped-exactly-at-the-due"),
    ((("2026-11-23T11:30", T.CALLBACK),), "2026-11-23T12:00", "callback", S.BREACHED,
     "2026-11-23T11:00:00+01:00", "2026-11-23T11:00:00+01:00", "2026-11-23T11:30:00+01:00",
     "breached-when-stopped-late"),
    ((), "2026-11-23T10:30", "update", S.NOT_STARTED, None, None, None, "update-not-started-before-callback"),
    ((("2026-11-23T10:30", T.CALLBACK), ("2026-11-23T10:45", T.WAITING_ON_CUSTOMER)), "2026-11-23T11:00",
     "update", S.PAUSED, "2026-11-23T12:15:00+01:00", None, None, "update-paused-while-waiting"),
    ((("2026-11-23T10:30", T.CALLBACK), ("2026-11-23T11:00", T.RESOLUTION_PROPOSED)), "2026-11-23T11:00",
     "update", S.STOPPED, "2026-11-23T12:00:00+01:00", None, "2026-11-23T11:00:00+01:00",
     "update-stopped-by-a-proposal"),
    ((("2026-11-23T10:30", T.CALLBACK), ("2026-11-23T12:30", T.RESOLUTION_PROPOSED)), "2026-11-23T12:30",
     "update", S.BREACHED, "2026-11-23T12:00:00+01:00", "2026-11-23T12:00:00+01:00",
     "2026-11-23T12:30:00+01:00", "update-breached-when-the-proposal-came-late"),
    ((("2026-11-23T10:30", T.CALLBACK),), "2026-11-23T19:00", "resolution", S.BREACHED,
     "2026-11-23T18:00:00+01:00", "2026-11-23T18:00:00+01:00", None, "resolution-breached-at-18:00"),
]


@pytest.mark.parametrize(("events", "now", "clock", "state", "due", "breached_at", "stopped_at"),
                         [row[:7] for row in STATES], ids=[row[7] for row in STATES])
def test_each_clock_reports_its_state(policy: Policy, events: tuple[tuple[str, EventType], ...], now: str,
                                      clock: str, state: ClockStatus, due: str | None, breached_at: str | None,
                                      stopped_at: str | None) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-23T10:00", *(ev(at, kind) for at, kind in events), now=now)
    got = report.clock(ClockKind(clock))
    assert (got.state, iso(got.due), iso(got.breached_at), iso(got.stopped_at)) == (
        state, due, breached_at, stopped_at)


def test_a_paused_clock_already_past_its_due_stays_breached(policy: Policy) -> None:
    report = run(policy, Severity.CRITICAL, "2026-11-23T10:00", ev("2026-11-23T10:30", T.CALLBACK),
                 ev("2026-11-23T12:30", T.WAITING_ON_CUSTOMER), now="2026-11-23T13:00")
    assert report.update.state is S.BREACHED
    assert report.update.paused
    assert iso(report.update.breached_at) == "2026-11-23T12:00:00+01:00"
    assert not report.update.is_running


# ---- None: target 14, limit 28 business days ---------------------------------------------
def test_none_has_a_resolution_target_of_14_and_a_limit_of_28_business_days(policy: Policy) -> None:
    report = run(policy, Severity.NONE, "2026-11-23T10:00", now="2026-11-23T10:00")
    assert iso(report.resolution.due) == "2026-12-11T10:00:00+01:00"
    assert iso(report.resolution.limit) == "2027-01-04T10:00:00+01:00"  # Christmas and New Year's Day skipped
    assert report.resolution.target == timedelta(hours=126)
    assert iso(report.callback.due) == "2026-11-25T10:00:00+01:00"


def test_none_past_its_target_is_breached_and_next_watches_its_limit(policy: Policy) -> None:
    now = paris("2026-12-14T10:00")
    report = run(policy, Severity.NONE, "2026-11-23T10:00", ev("2026-11-23T11:00", T.CALLBACK),
                 now="2026-12-14T10:00")
    assert report.resolution.state is S.BREACHED
    assert iso(report.resolution.breached_at) == "2026-12-11T10:00:00+01:00"
    assert report.resolution.is_running and report.resolution.limit is not None and report.resolution.limit > now


def test_a_pause_moves_none_s_target_and_limit_alike(policy: Policy) -> None:
    report = run(policy, Severity.NONE, "2026-11-23T10:00", ev("2026-11-23T12:00", T.WAITING_ON_CUSTOMER),
                 ev("2026-11-24T12:00", T.CUSTOMER_REPLIED), now="2026-11-24T12:00")  # 9 BH of pause
    assert iso(report.resolution.due) == "2026-12-14T10:00:00+01:00"
    assert iso(report.resolution.limit) == "2027-01-05T10:00:00+01:00"


def test_the_limit_of_other_severities_is_their_target(policy: Policy) -> None:
    report = run(policy, Severity.LOW, "2026-11-23T10:00", now="2026-11-23T10:00")
    assert report.resolution.limit == report.resolution.due


