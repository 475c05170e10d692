"""``astreinte sla replay``, ``astreinte sla deadlines`` and ``astreinte check-config`` as a
user runs them: the clocks of a replayed ticket, and bad input refused with exit status 2
and one line naming the field or key path to fix."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.engine.conftest import APP_YAML, CliResult

Replay = Callable[..., dict[str, Any]]


def doc(severity: str, opened_at: str, now: str, *events: dict[str, str]) -> dict[str, Any]:
    return {"severity": severity, "opened_at": opened_at, "now": now, "events": list(events)}


def e(at: str, type_: str, **extra: str) -> dict[str, str]:
    return {"at": at, "type": type_, **extra}


# ---- clocks through the replay command ---------------------------------------------------
def test_replay_reports_every_clock_of_a_fresh_critical_ticket(replay: Replay) -> None:
    result = replay(doc("critical", "2026-11-23T10:00", "2026-11-23T10:00"))
    assert result == {
        "severity": "critical",
        "clocks": {
            "callback": {"state": "running", "due": "2026-11-23T11:00:00+01:00",
                         "warn_at": ["2026-11-23T10:45:00+01:00"], "stopped_at": None, "breached_at": None},
            "update": {"state": "not_started", "due": None, "warn_at": [], "stopped_at": None,
                       "breached_at": None},
            "resolution": {"state": "running", "due": "2026-11-23T18:00:00+01:00",
                           "limit": "2026-11-23T18:00:00+01:00", "warn_at": ["2026-11-23T16:00:00+01:00"],
                           "stopped_at": None, "breached_at": None},
        },
    }


REPLAYS = [
    pytest.param(doc("important", "2026-11-24T10:00", "2026-11-24T15:00",
                     e("2026-11-24T10:30", "waiting_on_customer")),
                 {"callback": "breached", "update": "not_started", "resolution": "paused"},
                 id="waiting-pauses-resolution-not-callback"),
    pytest.param(doc("important", "2026-11-24T10:00", "2026-11-25T10:00", e("2026-11-24T11:00", "callback"),
                     e("2026-11-24T14:00", "resolution_proposed")),
                 {"callback": "met", "update": "stopped", "resolution": "paused"},
                 id="a-proposal-stops-updates-and-pauses-resolution"),
    pytest.param(doc("important", "2026-11-24T10:00", "2026-11-25T10:00", e("2026-11-24T11:00", "callback"),
                     e("2026-11-24T14:00", "resolution_proposed"), e("2026-11-25T10:00", "resolution_rejected")),
                 {"callback": "met", "update": "running", "resolution": "running",
                  "resolution.due": "2026-11-27T12:00:00+01:00", "update.due": "2026-11-25T14:00:00+01:00"},
                 id="a-rejection-resumes-resolution-and-restarts-updates"),
    pytest.param(doc("important", "2026-11-24T10:00", "2026-11-25T10:00", e("2026-11-24T11:00", "callback"),
                     e("2026-11-24T14:00", "resolution_proposed"), e("2026-11-25T10:00", "resolution_accepted")),
                 {"resolution": "met", "resolution.stopped_at": "2026-11-25T10:00:00+01:00"},
                 id="an-acceptance-meets-resolution"),
    pytest.param(doc("important", "2026-11-24T10:00", "2026-12-01T14:00", e("2026-11-24T11:00", "callback"),
                     e("2026-11-24T14:00", "resolution_proposed")),
                 {"resolution": "met", "resolution.stopped_at": "2026-12-01T14:00:00+01:00"},
                 id="five-silent-business-days-accept-the-proposal"),
    pytest.param(doc("critical", "2026-11-23T10:00", "2026-11-23T12:00", e("2026-11-23T11:30", "callback")),
                 {"callback": "breached", "callback.breached_at": "2026-11-23T11:00:00+01:00",
                  "callback.stopped_at": "2026-11-23T11:30:00+01:00"},
                 id="a-late-callback-is-breached-at-its-due"),
    pytest.param(doc("critical", "2026-11-23T10:00", "2026-11-23T10:30",
                     e("2026-11-23T10:30", "severity_changed", severity="low")),
                 {"severity": "low", "callback": "running", "callback.due": "2026-11-25T10:00:00+01:00",
                  "resolution.due": "2026-12-02T10:00:00+01:00"},
                 id="critical-downgraded-to-low-gets-two-business-days-from-opening"),
    pytest.param(doc("Low", "2026-11-23T09:30", "2026-11-23T11:00", e("2026-11-23T10:00", "callback"),
                     e("2026-11-23T11:00", "severity_changed", severity="CRITICAL")),
                 {"severity": "critical", "update.due": "2026-11-23T12:30:00+01:00"},
                 id="an-upgrade-shortens-the-update-clock-and-names-are-case-blind"),
    pytest.param(doc("none", "2026-11-23T10:00", "2026-11-23T10:00"),
                 {"resolution.due": "2026-12-11T10:00:00+01:00", "resolution.limit": "2027-01-04T10:00:00+01:00"},
                 id="none-has-a-target-and-a-limit"),
    pytest.param(doc("important", "2026-10-25T02:30+01:00", "2026-10-25T02:30+01:00"),
                 {"callback.due": "2026-10-25T06:30:00+01:00"},
                 id="the-second-ambiguous-02:30-with-its-offset"),
    pytest.param(doc("important", "2026-10-25T02:30+02:00", "2026-10-25T02:30+02:00"),
                 {"callback.due": "2026-10-25T05:30:00+01:00"},
                 id="the-first-ambiguous-02:30-with-its-offset"),
    pytest.param(doc("important", "2026-10-24T23:30", "2026-10-24T23:30"),
                 {"callback.due": "2026-10-25T02:30:00+01:00"},
                 id="four-real-hours-across-the-autumn-dst-night"),
    pytest.param(doc("critical", "2026-10-24T22:00Z", "2026-10-25T00:30Z", e("2026-10-24T22:30Z", "callback"),
                     e("2026-10-25T00:00Z", "update")),
                 {"update.due": "2026-10-25T02:30:00+01:00", "update.warn_at": ["2026-10-25T02:07:30+01:00"]},
                 id="utc-input-updates-count-real-time-across-dst"),
]


def _pick(result: dict[str, Any], key: str) -> Any:
    if key == "severity":
        return result["severity"]
    clock, _, field = key.partition(".")
    return result["clocks"][clock][field or "state"]


@pytest.mark.parametrize(("document", "expected"), REPLAYS)
def test_replay_reports_what_a_ticket_s_events_did_to_its_clocks(replay: Replay, document: dict[str, Any],
                                                                 expected: dict[str, Any]) -> None:
    result = replay(document)
    assert {key: _pick(result, key) for key in expected} == expected


def test_replay_reads_its_policy_from_config(replay: Replay, config_file: Callable[..., Path]) -> None:
    path = config_file(lambda data: data["policy"].update(warnings=[0.5, 0.75, 0.9]))
    result = replay(doc("critical", "2026-11-23T10:00", "2026-11-23T10:00"), config=path)
    assert result["clocks"]["callback"]["warn_at"] == [
        "2026-11-23T10:30:00+01:00", "2026-11-23T10:45:00+01:00", "2026-11-23T10:54:00+01:00"]


# ---- bad input: exit 2, one line naming the field ----------------------------------------
BAD_REPLAYS = [
    pytest.param(json.dumps(doc("urgent", "2026-11-23T10:00", "2026-11-23T11:00")), "severity: ",
                 "urgent", id="unknown-severity"),
    pytest.param(json.dumps(doc("low", "2026-11-23T10:00", "2026-11-23T11:00", e("2026-11-23T10:30", "called"))),
                 "events[0].type: ", "called", id="unknown-event-type"),
    pytest.param(json.dumps(doc("low", "2026-11-23T10:00", "2026-11-23T11:00", e("2026-11-23T10:30", "callback"),
                                e("2026-11-23T10:20", "update"))),
                 "events[1].at: ", "earlier than the event before it", id="events-out-of-order"),
    pytest.param(json.dumps(doc("low", "2026-11-23T10:00", "2026-11-23T11:00", e("2026-11-23T09:30", "callback"))),
                 "events[0].at: ", "before the ticket was opened", id="an-event-before-the-opening"),
    pytest.param(json.dumps(doc("low", "2026-11-23T10:00", "2026-11-23T11:00", e("2026-11-23T11:30", "callback"))),
                 "events[0].at: ", "after now", id="an-event-after-now"),
    pytest.param(json.dumps(doc("low", "2027-03-28T02:30", "2027-03-28T05:00")), "opened_at: ",
                 "does not exist", id="non-existent-local-time"),
    pytest.param(json.dumps(doc("low", "2026-10-25T02:30", "2026-10-25T05:00")), "opened_at: ",
                 "happens twice", id="ambiguous-local-time-without-offset"),
    pytest.param(json.dumps(doc("low", "2026-10-25T01:00", "2026-10-25T05:00",
                                e("2026-10-25T02:30", "callback"))), "events[0].at: ", "happens twice",
                 id="ambiguous-event-time-without-offset"),
    pytest.param('{"severity": "low", "opened_at": "2026-11-23T10:00",', "input: ", "not valid JSON",
                 id="invalid-json"),
    pytest.param(json.dumps(doc("low", "2026-11-23T10:00", "2026-11-23T09:00")), "now: ", "before the ticket",
                 id="now-before-the-opening"),
    pytest.param(json.dumps({"severity": "low", "opened_at": "2026-11-23T10:00"}), "now: ", "missing",
                 id="missing-now"),
    pytest.param(json.dumps(doc("low", "23/11/2026 10:00", "2026-11-23T11:00")), "opened_at: ", "ISO 8601",
                 id="not-an-iso-date"),
    pytest.param(json.dumps(doc("low", "2026-11-23T10:00", "2026-11-23T11:00",
                                e("2026-11-23T10:30", "severity_changed"))), "events[0].severity: ",
                 "needs the new severity", id="severity-change-without-severity"),
    pytest.param(json.dumps(doc("low", "2026-11-23T10:00", "2026-11-23T11:00",
                                e("2026-11-23T10:30", "severity_changed", severity="blocker"))),
                 "events[0].severity: ", "blocker", id="severity-change-to-an-unknown-severity"),
    pytest.param(json.dumps(["low"]), "input: ", "JSON object", id="not-an-object"),
]


@pytest.mark.parametrize(("stdin", "field", "says"), BAD_REPLAYS)
def test_replay_refuses_bad_input_with_one_line_naming_the_field(cli: Callable[..., CliResult], stdin: str,
                                                                 field: str, says: str) -> None:
    result = cli("sla", "replay", stdin=stdin)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"astreinte: {field}")
    assert says in result.err
    assert result.err.count("\n") == 1


@pytest.mark.parametrize(("opened", "says"), [
    ("2027-03-28T02:30", "does not exist"),
    ("2026-03-29T02:00", "does not exist"),
    ("2026-10-25T02:30", "happens twice"),
    ("2026-10-25T02:00", "happens twice"),
], ids=["02:30-on-the-2027-spring-night", "02:00-on-the-2026-spring-night", "02:30-on-the-autumn-night",
        "02:00-on-the-autumn-night"])
def test_deadlines_refuses_a_local_time_that_does_not_exist_or_happens_twice(
        cli: Callable[..., CliResult], opened: str, says: str) -> None:
    result = cli("sla", "deadlines", "--severity", "critical", "--opened", opened)
    assert result.code == 2
    assert result.err.startswith("astreinte: --opened: ")
    assert says in result.err
    assert result.err.count("\n") == 1


@pytest.mark.parametrize(("opened", "expected"), [
    ("2026-10-25T01:59:59", "2026-10-25T02:59:59+02:00"),
    ("2026-10-25T03:00", "2026-10-25T04:00:00+01:00"),
    ("2026-03-29T03:00", "2026-03-29T04:00:00+02:00"),
], ids=["just-before-the-autumn-change", "just-after-the-autumn-change", "first-summer-time-minute"])
def test_deadlines_accepts_the_local_times_around_a_dst_change(cli: Callable[..., CliResult], opened: str,
                                                              expected: str) -> None:
    result = cli("sla", "deadlines", "--severity", "critical", "--opened", opened)
    assert result.code == 0, result.err
    assert result.json["callback_due"] == expected


# ---- check-config ------------------------------------------------------------------------
def test_check_config_accepts_the_repository_s_policy(cli: Callable[..., CliResult],
                                                      config_file: Callable[..., Path]) -> None:
    result = cli("check-config", str(config_file(lambda data: None)))
    assert result.code == 0, result.err
    assert "Europe/Paris" in result.out and "09:00–18:00" in result.out


def test_check_config_accepts_app_yaml_as_shipped(cli: Callable[..., CliResult]) -> None:
    result = cli("check-config", str(APP_YAML))
    assert result.code == 0, result.err


def _set(*path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data["policy"]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


def _delete(*path: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data["policy"]
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return edit


BROKEN = [
    pytest.param(_set("severities", "low", "callback", value="2 bussiness days"),
                 'policy.severities.low.callback: "2 bussiness days" is not a duration', id="misspelt-duration"),
    pytest.param(_set("timezone", value="Europe/Pariss"), 'policy.timezone: "Europe/Pariss" is not a known time zone',
                 id="bad-timezone"),
    pytest.param(_set("business_hours", "close", value="08:00"), "policy.business_hours.close: 08:00 is not after open",
                 id="close-before-open"),
    pytest.param(_set("business_hours", "days", value=["mon", "tue", "wed", "thu", "fri", "funday"]),
                 'policy.business_hours.days[5]: "funday" is not a weekday', id="unknown-weekday"),
    pytest.param(_set("warnings", value=[1.5]), "policy.warnings[0]: 1.5 is not a fraction", id="warning-fraction-1.5"),
    pytest.param(_set("severities", "none", "resolution", "limit", value="7 business days"),
                 'policy.severities.none.resolution.limit: "7 business days" is shorter than the target',
                 id="limit-shorter-than-target"),
    pytest.param(_delete("severities", "low"), "policy.severities.low: missing", id="missing-severity"),
    pytest.param(_set("severities", "urgent", value={"callback": "1 hour"}), "policy.severities.urgent: unknown severity",
                 id="unknown-severity"),
    pytest.param(_delete("severities", "important", "update"), "policy.severities.important.update: missing",
                 id="missing-clock"),
    pytest.param(_set("severities", "critical", "resolution", value={"target": "8 business hours", "calendar": "24/7"}),
                 "policy.severities.critical.resolution.calendar: ", id="business-target-on-a-24-7-calendar"),
    pytest.param(_set("holidays", "extra_closed_days", value=["2026-13-01"]),
                 'policy.holidays.extra_closed_days[0]: "2026-13-01" is not a date', id="bad-extra-closed-day"),
    pytest.param(_set("holidays", "country", value="XX"), "policy.holidays.country: ", id="unknown-country"),
    pytest.param(_set("pauses", "waiting_on_customer", value=["callback"]),
                 "policy.pauses.waiting_on_customer[0]: the callback clock never pauses", id="pausing-the-callback"),
    pytest.param(_set("auto_accept_after", value="soon"), 'policy.auto_accept_after: "soon" is not a duration',
                 id="bad-auto-acceptance-silence"),
    pytest.param(_set("holidays", "subdivision", value="67"), "policy.holidays.subdivision: ",
                 id="unknown-subdivision-67-names-the-subdivision"),
]


@pytest.mark.parametrize(("edit", "message"), BROKEN)
def test_check_config_refuses_a_broken_policy_naming_the_key_path(
        cli: Callable[..., CliResult], config_file: Callable[..., Path], edit: Callable[[dict[str, Any]], None],
        message: str) -> None:
    result = cli("check-config", str(config_file(edit)))
    assert result.code == 2
    assert result.err.startswith(f"astreinte: {message}")
    assert result.err.count("\n") == 1


def test_check_config_reports_a_missing_file(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = cli("check-config", str(tmp_path / "nowhere.yaml"))
    assert result.code == 2
    assert "does not exist" in result.err and result.err.count("\n") == 1


def test_check_config_reads_astreinte_config(cli: Callable[..., CliResult], config_file: Callable[..., Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASTREINTE_CONFIG", str(config_file(_set("timezone", value="Mars/Olympus"))))
    result = cli("check-config")
    assert result.code == 2
    assert result.err.startswith("astreinte: policy.timezone: ")


def _app_yaml_text(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = APP_YAML.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_config_reads_unquoted_yaml_times_as_hours_and_minutes(cli: Callable[..., CliResult],
                                                                    tmp_path: Path) -> None:
    # YAML 1.1 reads an unquoted 09:00 as the sexagesimal integer 540.
    path = _app_yaml_text(tmp_path, ('open: "09:00"', "open: 09:00"), ('close: "18:00"', "close: 18:00"))
    result = cli("check-config", str(path))
    assert result.code == 0, result.err
    assert "09:00–18:00" in result.out


def test_check_config_refuses_a_bare_number_as_opening_time(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    path = _app_yaml_text(tmp_path, ('open: "09:00"', "open: 9"))
    result = cli("check-config", str(path))
    assert result.code == 2
    assert result.err.startswith("astreinte: policy.business_hours.open: ")


def test_one_line_of_app_yaml_switches_critical_resolution_to_24_7(cli: Callable[..., CliResult],
                                                                    tmp_path: Path) -> None:
    path = _app_yaml_text(tmp_path, ('resolution: "8 business hours"', 'resolution: "8 hours"'))
    result = cli("sla", "deadlines", "--severity", "critical", "--opened", "2026-11-20T19:30", "--config", str(path))
    assert result.code == 0, result.err
    assert result.json["resolution_due"] == "2026-11-21T03:30:00+01:00"
