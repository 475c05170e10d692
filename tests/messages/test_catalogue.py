"""Both languages complete, every template valid, user text escaped for mrkdwn."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from jinja2 import Environment

import messages
from messages import escape_mrkdwn, mention_user, render, render_plain, slack_date


def test_french_and_english_have_the_same_keys() -> None:
    en, fr = messages.keys("en"), messages.keys("fr")
    assert sorted(en - fr) == [], "keys missing in messages/fr/"
    assert sorted(fr - en) == [], "keys missing in messages/en/"


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_every_template_compiles(language: str) -> None:
    env = Environment()
    for key in messages.keys(language):
        env.parse(messages._catalogue(language)[key])


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_modal_titles_fit_slack_limit_of_24_characters(language: str) -> None:
    titles = [k for k in messages.keys(language) if k.startswith(("modal.", "action.")) and k.endswith(".title")]
    assert len(titles) >= 10
    for key in titles:
        assert len(render_plain(key, language)) <= 24, key


def test_channel_broadcast_in_user_text_is_neutralised() -> None:
    text = messages._MRKDWN.from_string("Title: {{ title }}").render(title="<!channel> & <http://evil|bank>")
    assert "<!channel>" not in text
    assert text == "Title: &lt;!channel&gt; &amp; &lt;http://evil|bank&gt;"


def test_markup_we_build_is_kept() -> None:
    text = messages._MRKDWN.from_string("{{ who }} said {{ what }}").render(who=mention_user("U123"), what="a<b")
    assert text == "<@U123> said a&lt;b"


def test_apostrophes_are_not_html_escaped() -> None:
    assert escape_mrkdwn("l'échéance") == "l'échéance"
    assert render("severity_criteria.none", "fr").count("&#39;") == 0


def test_date_token_has_localised_fallback() -> None:
    instant = datetime(2026, 11, 20, 20, 30, tzinfo=ZoneInfo("Europe/Paris"))
    token = slack_date(instant, "fr")
    assert token.startswith(f"<!date^{int(instant.timestamp())}^")
    assert token.endswith("|ven. 20 nov. 20:30 CET>")


@pytest.mark.parametrize(("minutes", "language", "text"), [
    (90, "en", "1 h 30 min"), (60, "fr", "1 h"), (0, "en", "0 min"), (3 * 24 * 60 + 240, "fr", "3 j 4 h"),
    (47 * 60, "en", "47 h"),
])
def test_durations_read_naturally(minutes: int, language: str, text: str) -> None:
    assert messages.format_duration(timedelta(minutes=minutes), language) == text


def test_unknown_language_falls_back_to_english() -> None:
    assert render("severity.low", "de") == "Low"
    assert messages.language_of("fr-FR") == "fr" and messages.language_of("de-DE") is None


def test_multi_line_user_text_is_quoted_on_every_line_and_escaped() -> None:
    text = messages._MRKDWN.from_string("Update:\n{{ text|quote }}").render(text="line one\n<!here> two")
    assert text == "Update:\n> line one\n> &lt;!here&gt; two"


def test_a_quote_after_a_condition_starts_on_its_own_line() -> None:
    template = messages._MRKDWN.from_string("{{ who }} acknowledged.{% if note %}\n{{ note|quote }}{% endif %}")
    assert template.render(who="Sam", note="called back") == "Sam acknowledged.\n> called back"
