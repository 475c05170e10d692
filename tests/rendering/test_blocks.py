"""The Block Kit vocabulary: Slack's limits, and a cut that never breaks what Slack parses."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rendering import blocks as bk
from messages import escape_mrkdwn, mention_user, render_plain, slack_date

PARIS = ZoneInfo("Europe/Paris")
TOKEN = slack_date(datetime(2026, 11, 20, 20, 30, tzinfo=PARIS), "fr")  # <!date^…|ven. 20 nov. 20:30 CET>


def whole(text: str) -> bool:
    """No half escape and no half token: every '&' starts an escape, every '<' a token."""
    body = text.removesuffix(bk.ELLIPSIS)
    without_tokens = re.sub(r"<[^<>]*>", "", body)
    return "<" not in without_tokens and not re.search(r"&(?!(?:amp|lt|gt);)", without_tokens)


def test_a_text_within_the_limit_is_left_alone() -> None:
    assert bk.cut("x" * 3000, 3000) == "x" * 3000


def test_a_long_text_ends_in_an_ellipsis_within_the_limit() -> None:
    cut = bk.cut("x" * 3500, 3000)
    assert len(cut) == 3000 and cut.endswith("…")


@pytest.mark.parametrize("at", range(1, 5), ids=lambda at: f"cut-{at}-chars-into-the-escape")
def test_the_cut_never_splits_an_escape(at: int) -> None:
    text = "a" * (99 - at) + "&amp;" + "b" * 100  # the cut (99 characters and "…") falls inside "&amp;"
    assert bk.cut(text, 100) == "a" * (99 - at) + "…"


@pytest.mark.parametrize("token", [mention_user("U0ONCALL1"), TOKEN, "<https://x.slack.com/archives/C1/p1|the thread>"])
def test_the_cut_never_splits_a_token(token: str) -> None:
    for before in range(80, 100):
        cut = bk.cut("a" * before + token + " after", 100)
        assert len(cut) <= 100 and whole(cut), cut


def test_a_bracket_a_user_typed_in_plain_text_costs_nothing() -> None:
    text = "if a < b then" + "x" * 200
    assert bk.cut(text, 100) == text[:99] + "…"


@given(st.lists(st.one_of(st.text(max_size=30).map(escape_mrkdwn), st.sampled_from([TOKEN, mention_user("U1")])),
                max_size=40),
       st.integers(min_value=2, max_value=400))
def test_any_mrkdwn_we_render_is_cut_whole_and_within_the_limit(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    cut = bk.cut(text, limit)
    assert len(cut) <= limit and whole(cut)
    assert text.startswith(cut.removesuffix(bk.ELLIPSIS))


@pytest.mark.parametrize(("build", "limit"), [
    (lambda t: bk.section(t)["text"]["text"], 3000),
    (lambda t: bk.fields([t])[0]["fields"][0]["text"], 2000),
    (lambda t: bk.context(t)["elements"][0]["text"], 3000),
    (lambda t: bk.header(t)["text"]["text"], 150),
    (lambda t: bk.button("a", t, "v")["text"]["text"], 75),
    (lambda t: bk.option("v", t, t)["text"]["text"], 75),
    (lambda t: bk.option("v", t, t)["description"]["text"], 75),
    (lambda t: bk.input_block("b", t, bk.text_input())["label"]["text"], 2000),
    (lambda t: bk.modal(callback_id="c", title=t, blocks=[], language="fr", submit=None)["title"]["text"], 24),
], ids=["section", "field", "context", "header", "button", "option", "option description", "input label",
        "modal title"])
def test_every_text_is_cut_to_slacks_limit(build, limit: int) -> None:
    shown = build("é" * 5000)
    assert len(shown) == limit and shown.endswith("…")


@pytest.mark.parametrize("language", ("en", "fr"))
def test_modal_buttons_are_worded_short_enough_never_to_be_cut(language: str) -> None:
    for key in ("modal.incident.submit", "ui.cancel", "ui.close"):
        assert len(render_plain(key, language)) <= bk.TITLE_MAX, key


def test_eleven_fields_take_two_sections() -> None:
    assert [len(s["fields"]) for s in bk.fields([str(i) for i in range(11)])] == [10, 1]


def test_a_message_takes_50_blocks_and_a_view_100() -> None:
    bk.Outgoing(text="t", blocks=[bk.divider()] * 50)
    with pytest.raises(ValueError, match="at most 50"):
        bk.Outgoing(text="t", blocks=[bk.divider()] * 51)
    bk.home([bk.divider()] * 100)
    with pytest.raises(ValueError, match="at most 100"):
        bk.home([bk.divider()] * 101)
    with pytest.raises(ValueError, match="at most 100"):
        bk.modal(callback_id="c", title="t", blocks=[bk.divider()] * 101, language="en", submit=None)


def test_private_metadata_is_never_cut() -> None:
    with pytest.raises(ValueError, match="private_metadata"):
        bk.modal(callback_id="c", title="t", blocks=[], language="en", submit=None, private_metadata="x" * 3001)


def test_a_select_offers_at_most_100_options_and_keeps_the_initial_one() -> None:
    select = bk.static_select([bk.option(str(i), str(i)) for i in range(150)], initial="7")
    assert len(select["options"]) == 100 and select["initial_option"]["value"] == "7"
