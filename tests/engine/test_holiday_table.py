"""The generated holiday table says what the ``holidays`` package says, for every year in it;
commands on the default policy answer without importing that package; anything the table
does not cover is still asked of the package."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import holidays
import pytest

from sla_core.calendar import BusinessCalendar
from sla_core.holiday_table import FIRST_YEAR, LAST_YEAR, TABLED, HolidayNames, public_holidays
from tests.config.conftest import REPO

PARIS = ZoneInfo("Europe/Paris")
REGENERATE = "run `.venv/bin/python scripts/generate_holiday_table.py`"


@pytest.mark.parametrize(("country", "subdivision"), TABLED)
def test_the_table_is_what_the_installed_holidays_package_says_for_every_year(
        country: str, subdivision: str | None) -> None:
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    french = holidays.country_holidays(country, subdiv=subdivision, years=years, language="fr")
    english = holidays.country_holidays(country, subdiv=subdivision, years=years, language="en_US")
    expected = {day: HolidayNames(french[day], english[day]) for day in french}
    table = public_holidays(country, subdivision, FIRST_YEAR, LAST_YEAR)
    for year in years:
        theirs = {d: n for d, n in expected.items() if d.year == year}
        ours = {d: n for d, n in table.items() if d.year == year}
        assert ours == theirs, (f"{country}/{subdivision} {year}: the table differs from holidays "
                                f"{holidays.__version__}: {REGENERATE}")


def test_the_french_table_closes_the_days_a_french_desk_expects() -> None:
    days = public_holidays("FR", None, 2026, 2026)
    assert days[date(2026, 5, 25)] == HolidayNames("Lundi de Pentecôte", "Pentecost Monday")
    assert date(2026, 7, 14) in days and date(2026, 4, 3) not in days  # no Good Friday outside Moselle
    assert {d.year for d in public_holidays("FR", None, 2030, 2031)} == {2030, 2031}


def _calendar(subdivision: str | None = None) -> BusinessCalendar:
    return BusinessCalendar(timezone=PARIS, weekdays=(0, 1, 2, 3, 4), opens=time(9), closes=time(18),
                            holiday_country="FR", holiday_subdivision=subdivision)


def test_what_the_table_does_not_cover_is_asked_of_the_package() -> None:
    # Good Friday is a holiday in Moselle only; 2080 is past the table's last year.
    assert not _calendar("57").is_open(datetime(2026, 4, 3, 10, tzinfo=PARIS))
    assert _calendar().is_open(datetime(2026, 4, 3, 10, tzinfo=PARIS))
    assert _calendar().is_open(datetime(2080, 7, 15, 10, tzinfo=PARIS))  # a Monday
    assert not _calendar().is_open(datetime(2080, 5, 1, 10, tzinfo=PARIS))  # Labour Day, a Wednesday
    assert public_holidays("FR", None, 2080, 2080)[date(2080, 5, 1)].en == "Labor Day"


def test_a_deadline_on_the_default_policy_does_not_import_the_holidays_package() -> None:
    probe = ("import json, sys; from bot.cli import main; "
             "main(['sla', 'deadlines', '--severity', 'critical', '--opened', '2026-12-24T17:30']); "
             "print(json.dumps('holidays' in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert "2026-12-28" in done.stdout  # Christmas and the weekend skipped: the table was used
    assert json.loads(done.stdout.splitlines()[-1]) is False
