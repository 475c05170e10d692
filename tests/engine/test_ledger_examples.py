"""Ledgers a person can check by hand: the Pentecost weekend, a DST night, a wait on the
customer, an upgrade and a downgrade; and ``astreinte sla replay --explain``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from sla_core.clocks import ClockEvent, ClockStatus
from sla_core.ledger import BEFORE_REGIME, Entry, Ledger, ledger
from sla_core.severity import Severity
from tests.engine.clockkit import T, ev
from tests.engine.conftest import CliResult, iso, paris
from tests.engine.test_calendar_properties import POLICY

H = timedelta(hours=1)


def book(severity: Severity, opened: str, *events: ClockEvent, now: str) -> Ledger:
    return ledger(POLICY, opened_at=paris(opened), severity=severity, events=list(events), now=paris(now))


def lines(entries: tuple[Entry, ...]) -> list[tuple[str | None, str | None, bool, str | None]]:
    return [(iso(e.start), iso(e.end), e.counted, e.holiday or e.reason) for e in entries]


def test_a_low_ticket_over_the_pentecost_weekend_counts_neither_the_weekend_nor_the_holiday() -> None:
    callback = book(Severity.LOW, "2026-05-22T17:00", now="2026-05-26T12:00").clocks[0]
    assert lines(callback.entries) == [
        ("2026-05-22T17:00:00+02:00", "2026-05-22T18:00:00+02:00", True, None),
        ("2026-05-22T18:00:00+02:00", "2026-05-23T00:00:00+02:00", False, "night"),
        ("2026-05-23T00:00:00+02:00", "2026-05-25T00:00:00+02:00", False, "weekend"),
        ("2026-05-25T00:00:00+02:00", "2026-05-26T00:00:00+02:00", False, "Lundi de Pentecôte"),
        ("2026-05-26T00:00:00+02:00", "2026-05-26T09:00:00+02:00", False, "night"),
        ("2026-05-26T09:00:00+02:00", "2026-05-26T12:00:00+02:00", True, None),
    ]
    assert callback.elapsed == 4 * H and callback.remaining == 14 * H  # 2 business days = 18 h
    assert iso(callback.state.due) == "2026-05-27T17:00:00+02:00"
    assert sum((e.length for e in callback.projected if e.counted), timedelta(0)) == 14 * H


def test_the_autumn_dst_weekend_is_49_real_hours_not_counted() -> None:
    resolution = book(Severity.IMPORTANT, "2026-10-23T17:00", now="2026-10-26T10:00").clocks[2]
    weekend = [e for e in resolution.entries if e.reason == "weekend"]
    assert [(iso(e.start), iso(e.end), e.length) for e in weekend] == [
        ("2026-10-24T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 49 * H)]
    assert resolution.elapsed == 2 * H  # Fri 17:00–18:00 and Mon 09:00–10:00 (CET)


def test_a_round_the_clock_callback_across_the_spring_change_counts_real_hours() -> None:
    callback = book(Severity.IMPORTANT, "2026-03-28T23:00", now="2026-03-29T05:00").clocks[0]
    assert iso(callback.state.due) == "2026-03-29T04:00:00+02:00"  # 4 real hours, not wall-clock
    assert lines(callback.entries) == [("2026-03-28T23:00:00+01:00", "2026-03-29T05:00:00+02:00", True, None)]
    assert callback.elapsed == 5 * H and callback.remaining == -H
    assert callback.state.state is ClockStatus.BREACHED


def test_waiting_on_the_customer_is_shown_with_its_span_and_who_set_it() -> None:
    waiting = ev("2026-11-24T10:00", T.WAITING_ON_CUSTOMER)
    replied = ev("2026-11-25T15:00", T.CUSTOMER_REPLIED)

    resolution = book(Severity.LOW, "2026-11-23T10:00", replace(waiting, by="U0AGENT"), replied,
                      now="2026-11-26T10:00").clocks[2]
    paused = [e for e in resolution.entries if e.spell is not None]
    assert [(iso(e.start), iso(e.end), e.reason, e.spell.by) for e in paused if e.spell] == [
        ("2026-11-24T10:00:00+01:00", "2026-11-25T15:00:00+01:00", "waiting_on_customer", "U0AGENT")]
    # Mon 10–18 (8 h), Tue 9–10 (1 h), Wed 15–18 (3 h), Thu 9–10 (1 h).
    assert resolution.elapsed == 13 * H


def test_an_upgrade_sets_the_due_from_the_change_and_the_earlier_time_is_shown_as_before_it() -> None:
    callback = book(Severity.LOW, "2026-11-23T10:00", ev("2026-11-24T10:00", T.SEVERITY_CHANGED, Severity.CRITICAL),
                    now="2026-11-24T10:30").clocks[0]
    assert [(r.regime.severity, r.regime.change, iso(r.due), r.deciding) for r in callback.regimes] == [
        (Severity.LOW, "opened", "2026-11-25T10:00:00+01:00", False),
        (Severity.CRITICAL, "upgrade", "2026-11-24T11:00:00+01:00", True)]
    assert lines(callback.entries) == [
        ("2026-11-23T10:00:00+01:00", "2026-11-24T10:00:00+01:00", False, BEFORE_REGIME),
        ("2026-11-24T10:00:00+01:00", "2026-11-24T10:30:00+01:00", True, None)]
    assert callback.elapsed == H / 2 and callback.remaining == H / 2


def test_a_downgrade_recomputes_from_the_start_and_keeps_the_time_elapsed() -> None:
    callback = book(Severity.IMPORTANT, "2026-11-23T10:00", ev("2026-11-23T11:00", T.SEVERITY_CHANGED, Severity.LOW),
                    now="2026-11-23T12:00").clocks[0]
    [regime] = callback.regimes
    assert (regime.regime.change, iso(regime.regime.anchor), iso(regime.regime.set_at)) == (
        "downgrade", "2026-11-23T10:00:00+01:00", "2026-11-23T11:00:00+01:00")
    assert iso(callback.state.due) == "2026-11-25T10:00:00+01:00" and callback.elapsed == 2 * H


def pentecost_document() -> str:
    return json.dumps({"severity": "low", "opened_at": "2026-05-22T17:00", "now": "2026-05-26T12:00", "events": [
        {"at": "2026-05-26T10:00", "type": "waiting_on_customer", "by": "U0AGENT"}]})


def test_replay_explain_writes_the_ledger_in_french_with_the_holiday_named(cli: Callable[..., CliResult]) -> None:
    result = cli("sla", "replay", "--explain", "--lang", "fr", stdin=pentecost_document())
    assert result.code == 0, result.err
    assert "jour férié (Lundi de Pentecôte)" in result.out
    assert "en attente du client du mar. 26 mai 10:00 CEST au mar. 26 mai 12:00 CEST, mis par U0AGENT" in result.out
    assert "Compté : 4 h sur 18 h ; reste 14 h." in result.out  # the callback never pauses


def test_replay_explain_json_gives_seconds_that_add_up(cli: Callable[..., CliResult]) -> None:
    result = cli("sla", "replay", "--explain", "--json", stdin=pentecost_document())
    assert result.code == 0, result.err
    resolution = result.json["clocks"]["resolution"]
    counted = sum(e["seconds"] for e in resolution["entries"] if e["counted"])
    assert counted == resolution["elapsed_seconds"] == 2 * 3600  # Fri 17–18, Tue 9–10, then the wait
    assert resolution["entries"][-1]["pause"] == {"cause": "waiting_on_customer", "from": "2026-05-26T10:00:00+02:00",
                                                  "to": "2026-05-26T12:00:00+02:00", "set_by": "U0AGENT"}


def test_explaining_an_unknown_ticket_exits_2_with_one_line(cli: Callable[..., CliResult], tmp_path: object) -> None:
    result = cli("sla", "explain", "INC-2026-999999", "--database", f"sqlite:///{tmp_path}/astreinte.db")
    assert result.code == 2
    assert result.err.strip().splitlines() == ["astreinte: There is no ticket INC-2026-999999."]


