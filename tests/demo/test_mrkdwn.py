"""mrkdwn and Block Kit as the demo prints them: tokens resolved, escapes undone last."""

from __future__ import annotations

from bot.demo.mrkdwn import Names, block_lines, to_terminal

NAMES = Names({"U0ONCALL1": "sam.leroy"}, {"C0SUPCRIT": "#support-critical"}, field_separator=" : ")


def test_tokens_become_what_a_reader_sees() -> None:
    text = ("<@U0ONCALL1> due <!date^1795206600^{date_short_pretty} {time}|Fri 20 Nov 20:30 CET> in <#C0SUPCRIT>: "
            "<https://x.slack.com/archives/C1/p1|Open the thread> <!subteam^S0ONCALL> <!here> <@U0UNKNOWN>")
    assert to_terminal(text, NAMES) == ("@sam.leroy due Fri 20 Nov 20:30 CET in #support-critical: "
                                        "Open the thread @S0ONCALL @here @U0UNKNOWN")


def test_escapes_are_undone_once_and_after_the_tokens() -> None:
    # A title "<!channel> & co" as the bot escaped it: shown literally, never as a mention.
    assert to_terminal("*&lt;!channel&gt; &amp; co* &amp;lt;", NAMES) == "*<!channel> & co* &lt;"


def test_emoji_codes_we_use_become_characters() -> None:
    assert to_terminal(":red_circle: :large_orange_circle: :unknown_code:", NAMES) == "🔴 🟠 :unknown_code:"


def test_blocks_read_top_to_bottom_with_fields_on_one_line_and_buttons_in_brackets() -> None:
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*INC-1*\nLine two"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Statut*\nPris en charge"}]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "a"}, {"type": "plain_text", "text": "<b>"}]},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Accept"}, "action_id": "a", "value": "v"},
            {"type": "button", "text": {"type": "plain_text", "text": "Reject"}, "action_id": "r", "value": "v"}]},
    ]
    assert block_lines(blocks, NAMES) == ["*INC-1*", "Line two", "Statut : Pris en charge", "a  <b>",
                                          "[Accept] [Reject]"]
