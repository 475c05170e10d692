"""Public holidays for the business calendar, without importing ``holidays`` when we can.

Asking the ``holidays`` package for one country imports every one of its ~250 country
modules: 0.27 s, most of what an ``astreinte sla`` command took (docs/benchmarks.md,
"Command line"). For the countries in ``TABLED`` (France, the default policy's) the
holidays of ``FIRST_YEAR``…``LAST_YEAR`` are a table generated from that very package
(``scripts/generate_holiday_table.py``) into a text file beside this module,
``holidays-<country>[-<subdivision>].txt`` (a text file, not a Python module: read and
split, it costs half a millisecond, while a module compiled from source where bytecode is
not written costs some 40 ms), and a test compares
the two for every year, so a ``holidays`` release that changes France fails the build
until the table is regenerated. Any other country, subdivision or year is asked of the
package itself, imported only then.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

# The years a desk can reach: tickets from 2000 on, deadlines and reports up to 2075.
FIRST_YEAR, LAST_YEAR = 2000, 2075
# (country, subdivision) pairs with a table; only these exact codes (no aliases).
TABLED: tuple[tuple[str, str | None], ...] = (("FR", None),)


class HolidayNames(NamedTuple):
    fr: str
    en: str


def table_path(country: str, subdivision: str | None) -> Path:
    # Beside this module, not through importlib.resources: importing that costs the engine's
    # commands ~35 ms of their 0.25 s budget (benchmarks/cli.py); wheels install as files.
    return Path(__file__).with_name(f"holidays-{country}{'-' + subdivision if subdivision else ''}.txt")


@cache
def _table(country: str, subdivision: str | None) -> dict[date, HolidayNames]:
    """The table's lines: ``YYYY-MM-DD<TAB>French name<TAB>English name``; ``#`` comments."""
    table: dict[date, HolidayNames] = {}
    for line in table_path(country, subdivision).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            day, french, english = line.split("\t")
            table[date.fromisoformat(day)] = HolidayNames(french, english)
    return table


def is_tabled(country: str, subdivision: str | None, first_year: int, last_year: int) -> bool:
    return (country, subdivision) in TABLED and FIRST_YEAR <= first_year and last_year <= LAST_YEAR


def public_holidays(country: str, subdivision: str | None, first_year: int, last_year: int,
                    ) -> dict[date, HolidayNames]:
    """The public holidays of the years ``first_year``…``last_year`` (inclusive), with their
    names in French and English, from the table when it covers them, else from ``holidays``."""
    if is_tabled(country, subdivision, first_year, last_year):
        return {day: names for day, names in _table(country, subdivision).items()
                if first_year <= day.year <= last_year}
    return _from_package(country, subdivision, first_year, last_year)


def holiday_dates(country: str, subdivision: str | None, first_year: int, last_year: int) -> set[date]:
    """The dates of those public holidays (what the business calendar closes on)."""
    if is_tabled(country, subdivision, first_year, last_year):
        return {day for day in _table(country, subdivision) if first_year <= day.year <= last_year}
    import holidays  # 0.27 s: only for what the table does not cover

    return set(holidays.country_holidays(country, subdiv=subdivision, years=range(first_year, last_year + 1)))


def _from_package(country: str, subdivision: str | None, first_year: int, last_year: int,
                  ) -> dict[date, HolidayNames]:
    import holidays  # 0.27 s: only for what the table does not cover

    years = range(first_year, last_year + 1)
    french = holidays.country_holidays(country, subdiv=subdivision, years=years, language="fr")
    english = holidays.country_holidays(country, subdiv=subdivision, years=years, language="en_US")
    # A country without a French or English translation answers with its untranslated names.
    return {day: HolidayNames(french[day], english.get(day, french[day])) for day in french}
