"""When an RCA falls due and when its agent is reminded: 5 business days after the
resolution in the policy's calendar (weekends, French public holidays, DST changes)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from sla_core.config import config_from_mapping
from sla_core.config.rca_section import RcaSettings
from sla_core.rca.due import rca_due, reminder_at

PARIS = ZoneInfo("Europe/Paris")


def test_christmas_and_a_weekend_do_not_count(policy, rca_settings) -> None:
    # Friday 18 December 16:00: 2 h that day, Mon 21–Thu 24 (36 h), Christmas Friday and
    # the weekend skipped, the last 7 h on Monday 28 December.
    resolved = datetime(2026, 12, 18, 16, 0, tzinfo=PARIS)
    due = rca_due(policy, rca_settings, resolved_at=resolved)
    assert due == datetime(2026, 12, 28, 16, 0, tzinfo=PARIS)
    # One business day before: 7 h of Monday, then 2 h of Thursday 24 (Christmas skipped).
    assert reminder_at(policy, rca_settings, due_at=due) == datetime(2026, 12, 24, 16, 0, tzinfo=PARIS)


def test_armistice_day_does_not_count(policy, rca_settings) -> None:
    # Monday 9 November 2026 10:00; Wednesday 11 November is a public holiday.
    resolved = datetime(2026, 11, 9, 10, 0, tzinfo=PARIS)
    assert rca_due(policy, rca_settings, resolved_at=resolved) == datetime(2026, 11, 17, 10, 0, tzinfo=PARIS)


def test_the_due_keeps_to_local_opening_hours_across_the_autumn_change(policy, rca_settings) -> None:
    # Thursday 22 October 15:00 CEST (13:00 UTC); clocks go back on Sunday 25 October.
    resolved = datetime(2026, 10, 22, 13, 0, tzinfo=UTC)
    due = rca_due(policy, rca_settings, resolved_at=resolved)
    assert due.astimezone(PARIS) == datetime(2026, 10, 29, 15, 0, tzinfo=PARIS)
    assert due == datetime(2026, 10, 29, 14, 0, tzinfo=UTC)  # CET: one hour later in UTC than before


def test_a_round_the_clock_due_counts_every_hour() -> None:
    settings = _rca({"due_after": "48 hours", "remind_before": "6 hours"})
    resolved = datetime(2026, 12, 24, 20, 0, tzinfo=PARIS)
    from sla_core.config import load_config
    policy = load_config().policy
    assert rca_due(policy, settings, resolved_at=resolved) == datetime(2026, 12, 26, 20, 0, tzinfo=PARIS)
    assert reminder_at(policy, settings, due_at=datetime(2026, 12, 26, 20, 0, tzinfo=PARIS)) == datetime(
        2026, 12, 26, 14, 0, tzinfo=PARIS)


def _rca(section: dict) -> RcaSettings:
    from sla_core.config import default_config_text
    import yaml
    raw = yaml.safe_load(default_config_text())
    raw["rca"] = section
    return config_from_mapping(raw).rca


def test_defaults_are_the_contract_reading(rca_settings) -> None:
    assert [s.value for s in rca_settings.needs if rca_settings.needs[s] == "required"] == ["critical"]
    assert rca_settings.approval_required is True
    assert rca_settings.due_after_text == "5 business days"


@pytest.mark.parametrize(("section", "problem"), [
    ({"severities": {"critical": "requird"}}, 'rca.severities.critical: "requird" is not one of: required, '
                                              'on_request; did you mean "required"?'),
    ({"severities": {"critcal": "required"}}, 'rca.severities.critcal: unknown severity; did you mean "critical"?'),
    ({"due_after": "5 bussiness days"}, 'rca.due_after: "5 bussiness days" is not a duration'),
    ({"approval": True}, 'rca.approval: unknown key; did you mean "approval_required"?'),
    ({"approval_required": "yes"}, "rca.approval_required: 'yes' is not true or false"),
    ({"due_after": "1 business day", "remind_before": "2 business days"}, "rca.remind_before:"),
])
def test_check_config_names_the_key_path(section: dict, problem: str) -> None:
    from sla_core.config import ConfigErrors
    with pytest.raises(ConfigErrors) as refused:
        _rca(section)
    assert any(str(p).startswith(problem) for p in refused.value.problems), [str(p) for p in refused.value.problems]


def test_check_config_lists_the_rca_problems_with_their_paths(tmp_path, capsys) -> None:
    from bot.cli import main
    from sla_core.config import default_config_text

    text = default_config_text().replace("  due_after: \"5 business days\"", "  due_after: \"5 bussiness days\"")
    text = text.replace("    critical: required", "    critical: requird")
    path = tmp_path / "app.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check-config", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert 'astreinte: rca.severities.critical: "requird" is not one of: required, on_request; did you mean ' \
           '"required"?' in err
    assert any(line.startswith('astreinte: rca.due_after: "5 bussiness days" is not a duration') for line in err)
