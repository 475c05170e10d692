"""Numbers, percentages, months and plurals as each language writes them (Babel's CLDR
data), in templates through filters and in Python through the same functions."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from messages import format_month, format_percent, format_plural, format_short_datetime, render


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")  # French spaces are no-break


@pytest.mark.parametrize(("language", "share", "digits", "text"), [
    ("fr", 0.9952, 2, "99,52 %"), ("en", 0.9952, 2, "99.52%"), ("fr", 2 / 3, 1, "66,7 %"), ("en", 1.0, 1, "100%"),
    ("fr", 0.0, 1, "0 %"), ("en", None, 1, "—"),
], ids=lambda v: str(v))
def test_percentages(language: str, share: float | None, digits: int, text: str) -> None:
    assert plain(format_percent(share, language, digits)) == text


def test_a_french_percentage_never_breaks_before_its_sign() -> None:
    assert " " not in format_percent(0.9952, "fr", 2)


@pytest.mark.parametrize(("language", "count", "text"), [
    ("fr", 0, "0 dépassement"), ("fr", 1, "1 dépassement"), ("fr", 2, "2 dépassements"),
    ("en", 0, "0 breaches"), ("en", 1, "1 breach"), ("en", 2, "2 breaches"),
])
def test_plurals_follow_each_language(language: str, count: int, text: str) -> None:
    one, other = ("dépassement", "dépassements") if language == "fr" else ("breach", "breaches")
    assert format_plural(count, one, other, language) == text


def test_months_and_dates() -> None:
    assert format_month("2026-11", "fr") == "novembre 2026" and format_month("2026-11", "en") == "November 2026"
    assert format_short_datetime(datetime(2026, 11, 3, 12, 15), "fr") == "3 nov. 12:15"
    assert format_short_datetime(datetime(2026, 11, 3, 12, 15), "en") == "3 Nov 12:15"


def test_the_monthly_summary_is_worded_in_the_channels_language() -> None:
    fr = plain(render("notice.monthly_summary", "fr", month="2026-11", breaches=1, ratio=0.9952, late=False, due=""))
    assert "Bilan SLA de *novembre 2026* : 1 dépassement ; pire disponibilité sur 30 jours 99,52 %." in fr
    en = render("notice.monthly_summary", "en", month="2026-11", breaches=2, ratio=0.9952, late=False, due="")
    assert "SLA summary for *November 2026*: 2 breaches; worst 30-day availability 99.52%." in en


def test_the_report_answer_in_slack_formats_its_figures() -> None:
    footer = plain(render("report.footer", "fr", ratio=0.9944, met=False, breaches=2, used=timedelta(hours=2),
                          budget=timedelta(hours=3), label="2026-11"))
    assert footer.startswith("• pire disponibilité sur 30 jours : 99,44 % (manquée) · maintenance planifiée 2 h sur 3 h"
                             " · 2 dépassements")
    line = plain(render("report.severity", "fr", severity="Critique", opened=3, callbacks=2 / 3, updates=None,
                        resolutions=1.0))
    assert line == "• Critique : 3 ouverts — rappels 66,7 %, mises à jour —, résolutions 100 % dans les délais"


def test_availability_in_slack_says_the_error_budget_as_people_do() -> None:
    over = plain(render("outage.availability", "fr", ratio=0.9944, target=0.995, met=False,
                        left=timedelta(minutes=-24), budget=timedelta(minutes=216)))
    assert over == ("*Disponibilité sur les 30 derniers jours :* 99,44 % (objectif 99,5 %) — *manqué*. "
                    "Marge d'indisponibilité de 3 h 36 min : dépassée de 24 min.")
    within = render("outage.availability", "en", ratio=0.9996, target=0.995, met=True,
                    left=timedelta(minutes=200), budget=timedelta(minutes=216))
    assert within.endswith("(target 99.5%). Error budget of 3 h 36 min: 3 h 20 min left.")
