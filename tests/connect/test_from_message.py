"""A Slack message as the intake form's first values: readable text, within the limits."""

from __future__ import annotations

import pytest

from bot.connect.from_message import FromMessage, decode, plain_text, prefill, safe_permalink
from sla_core.field_limits import TICKET_FIELDS


@pytest.mark.parametrize(("mrkdwn", "plain"), [
    ("a &lt;b&gt; &amp;amp; c", "a <b> &amp; c"),  # unescaped once, never twice
    ("ask <@U0ACMEADM|alice> or <@U0ACMEHLD>", "ask @alice or @U0ACMEHLD"),
    ("see <#C0ACMESHR|acme-support> <!here> <!subteam^S0OPS|@ops>", "see #acme-support @here @ops"),
    ("<https://status.example/x?a=1&amp;b=2|status page> and <https://x.example>",
     "status page (https://status.example/x?a=1&b=2) and https://x.example"),
    ("mail <mailto:it@acme.example|it@acme.example>", "mail it@acme.example"),
])
def test_slack_markup_is_made_readable(mrkdwn: str, plain: str) -> None:
    assert plain_text(mrkdwn) == plain


def test_the_title_is_the_first_line_and_both_fields_fit_their_limits() -> None:
    title_max, description_max = TICKET_FIELDS["title"].max_length, TICKET_FIELDS["description"].max_length
    long_line = "x" * (title_max + 50)
    values = prefill(f"\n\n  {long_line}\n" + "y" * description_max)
    assert len(values["title"]) == title_max and values["title"].endswith("…")
    assert len(values["description"]) == description_max and values["description"].endswith("…")
    assert prefill("Short one\nmore")["title"] == "Short one"


def test_the_message_travels_through_private_metadata_and_forgeries_are_dropped() -> None:
    origin = FromMessage(channel="C0ACMESHR", ts="1700000000.000100",
                         permalink="https://acme.slack.com/archives/C0ACMESHR/p1700000000000100", author="U0ACMEADM")
    assert decode(origin.encode()) == origin
    assert decode("") is None and decode("INC-2026-000001") is None and decode('{"from": 3}') is None
    assert safe_permalink("javascript:alert(1)") is None and safe_permalink("https://x.example/a|b>") is None
