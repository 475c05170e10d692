"""The command line's exit codes and messages, and the monthly summary's timing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from sla_core.outbox.address import AnnouncementChannel, Fallback
from sla_core.reports import Month, monthly_summary_due, summary_notification
from tests.availability.conftest import paris
from tests.availability.month import AS_OF, build_month
from sla_core.reports import build_month_report

NOVEMBER = Month(year=2026, month=11)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(database_url: str) -> list[str]:
    return ["--database", database_url]


def test_maintenance_commands_enforce_the_budget_with_exit_codes(capsys, db, tmp_path):
    config = tmp_path / "app.yaml"
    text = (Path(__file__).resolve().parents[2] / "app.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace("notify: []", "notify: [ops@acme.example]")
                      .replace("host: localhost\n  port: 25", "host: 127.0.0.1\n  port: 1"), encoding="utf-8")
    common = [*db, "--config", str(config)]
    code, out, _ = run(capsys, "maintenance", "schedule", "--start", "2030-03-02T22:00", "--end", "2030-03-03T00:00",
                       "--service", "api", "--critical-fixes", *common)
    assert code == 0 and "2030-03: 2 h 00 min of 3 h 00 min used, 1 h 00 min left" in out
    code, _, err = run(capsys, "maintenance", "schedule", "--start", "2030-03-09T22:00", "--end", "2030-03-09T23:30",
                       "--service", "api", *common)
    assert code == 2 and "1 h 00 min left that month" in err
    code, out, err = run(capsys, "maintenance", "schedule", "--start", "2030-03-09T22:00", "--end", "2030-03-09T23:00",
                         "--service", "api", *common)
    assert code == 1 and "retry with `astreinte maintenance notify 2`" in err  # no mail server on port 1
    code, _, err = run(capsys, "maintenance", "schedule", "--start", "2030-03-31T02:30", "--end", "2030-03-31T03:30",
                       "--service", "api", *common)
    assert code == 2 and "does not exist in Europe/Paris" in err
    code, out, _ = run(capsys, "maintenance", "list", "--month", "2030-03", *common)
    assert code == 0 and "3 h 00 min of 3 h 00 min planned maintenance used" in out and "#2\tapi" in out
    code, _, err = run(capsys, "maintenance", "cancel", "9", *common)
    assert code == 2 and "There is no maintenance window #9" in err
    code, out, _ = run(capsys, "maintenance", "cancel", "2", *common)
    assert code == 0 and "maintenance #2 cancelled" in out


def test_outage_and_report_commands(capsys, db, tmp_path):
    code, out, _ = run(capsys, "outage", "record", "--service", "api", "--cause", "vendor",
                       "--start", "2026-11-10T08:00", "--end", "2026-11-10T12:00", *db)
    assert code == 0 and "#1\tapi\tvendor\t2026-11-10T08:00:00+01:00" in out
    code, _, err = run(capsys, "outage", "record", "--service", "api", "--cause", "vendor", "--as", "UREPORTER",
                       "--start", "2026-11-10T08:00", "--end", "2026-11-10T12:00", *db)
    assert code == 2 and "Only support agents can record a service interruption" in err
    code, out, _ = run(capsys, "outage", "list", "--month", "2026-11", *db)
    assert code == 0 and "2026-11: 1 interruption(s)" in out
    target = tmp_path / "report.html"
    code, _, err = run(capsys, "report", "--month", "2026-11", "--format", "html", "--output", str(target),
                       "--as-of", "2026-12-01T09:00", *db)
    page = target.read_text(encoding="utf-8")  # in app.yaml's slack.default_language, French
    assert code == 0 and "html report written" in err and '<html lang="fr"' in page
    assert "Aucun ticket n'a été ouvert en novembre 2026." in page
    code, out, _ = run(capsys, "report", "--month", "2026-11", "--as-of", "2026-12-01T09:00", "--lang", "en", *db)
    assert code == 0 and "99.44% available (target 99.5%) — **target missed**" in out
    code, _, err = run(capsys, "report", "--month", "2026-13", *db)
    assert code == 2 and "--month: '2026-13' is not a month (write YYYY-MM" in err
    code, _, err = run(capsys, "report", "--month", "2026-11", "--table", "breaches", *db)
    assert code == 2 and "only the csv format" in err


@pytest.mark.parametrize(("now", "last", "expected", "late"), [
    (paris(2026, 12, 1, 8, 59), Month(year=2026, month=10), None, False),  # before the desk opens
    (paris(2026, 12, 1, 9, 0), Month(year=2026, month=10), NOVEMBER, False),  # Tuesday 1st, 09:00
    (paris(2026, 12, 1, 18, 30), Month(year=2026, month=10), NOVEMBER, False),  # still the first business day
    (paris(2026, 12, 1, 9, 15), NOVEMBER, None, False),  # already decided
    (paris(2026, 12, 9, 10, 0), None, NOVEMBER, True),  # a desk down on the day catches up, late
    (paris(2027, 1, 1, 10, 0), NOVEMBER, None, False),  # New Year's Day is a holiday …
    (paris(2027, 1, 4, 9, 0), NOVEMBER, Month(year=2026, month=12), False),  # … the first business day is Monday 4th
    (paris(2026, 11, 2, 9, 0), Month(year=2026, month=9), Month(year=2026, month=10), False),  # Sunday 1st, All Saints
], ids=["before-opening", "first-business-day", "same-day-evening", "decided", "catch-up-late", "new-year-holiday",
        "monday-4th", "all-saints"])
def test_the_monthly_summary_is_due_on_the_first_business_day(policy, now, last, expected, late):
    owed = monthly_summary_due(policy, now, last)
    assert (owed.month, owed.late) == (expected, late) if expected else owed is None


def test_the_summary_notification_is_keyed_by_month(uow, policy, support, config):
    build_month(uow, policy, support, config)
    report = build_month_report(uow, policy=policy, config=config, month=NOVEMBER, now=AS_OF)
    owed = monthly_summary_due(policy, AS_OF, None)
    notice = summary_notification(report, owed, channel="C0REPORTS")
    assert (notice.key, notice.kind.value) == ("report:2026-11", "monthly_summary")
    assert notice.address == AnnouncementChannel(channel="C0REPORTS", otherwise=Fallback.LEADS)
    assert (notice.payload.month, notice.payload.breaches) == ("2026-11", len(report.breaches))
    assert summary_notification(report, owed).address == AnnouncementChannel(otherwise=Fallback.LEADS)
