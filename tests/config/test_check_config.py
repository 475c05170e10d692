"""``astreinte check-config`` reads app.yaml exactly as ``serve``, ``tick`` and ``report``
do: whatever they would refuse, it refuses first, in the same words, naming the key path;
and it lists every problem of a file at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.config.conftest import Edit, Run, renaming, setting

# One wrong value in each section of app.yaml, and the line that names it.
BROKEN: list[tuple[str, Edit, str]] = [
    ("policy", renaming("policy", "auto_accept_after", to="auto_accept_afer"),
     'policy.auto_accept_afer: unknown key; did you mean "auto_accept_after"?'),
    ("support", setting("support", "agents", value=["U0AGENT01", "alex"]),
     "support.agents[1]: 'alex' is not a Slack user id (U… or W…"),
    ("slack", setting("slack", "channels", "leads", value="#support-leads"),
     "slack.channels.leads: '#support-leads' is not a Slack channel id (C… or G…"),
    ("contact", setting("contact", "by_severity", "low", value=["portal", "fax"]),
     'contact.by_severity.low[1]: "fax" is not one of: phone, email, portal, status_page'),
    ("escalation", setting("escalation", "critical", "repeat_every", value="30 minuts"),
     'escalation.critical.repeat_every: "30 minuts" is not a duration'),
    ("escalation-rung", setting("escalation", "important", "chain", value=["severity_channel", "leadz"]),
     'escalation.important.chain[1]: "leadz" is not one of: severity_channel, leads, on_call; '
     'did you mean "leads"?'),
    ("escalation-section", renaming("escalation", to="escalaton"),
     'escalaton: unknown section; did you mean "escalation"?'),
    ("on_call", setting("on_call", "usergroup", value="@oncall"),
     "on_call.usergroup: '@oncall' is not a Slack user group id (S…"),
    ("scheduler", setting("scheduler", "tick_seconds", value="fifteen"),
     "scheduler.tick_seconds: 'fifteen' is not a number of seconds between 1 and 3600"),
    ("availability", setting("availability", "target", value="995%"),
     'availability.target: "995%" must be between 0 and 100 %'),
    ("maintenance", setting("maintenance", "notify", value=["it-ops at acme"]),
     "maintenance.notify[0]: 'it-ops at acme' is not an email address"),
    ("reports", setting("reports", "channel", value="U0LEAD001"),
     "reports.channel: 'U0LEAD001' is not a Slack channel id"),
    ("email", setting("email", "port", value="twenty-five"),
     "email.port: 'twenty-five' is not a TCP port"),
    ("satisfaction", setting("satisfaction", "once_per", value="2 business days"),
     'satisfaction.once_per: "2 business days" is business time; write real time, e.g. "30 days"'),
    ("connect", setting("connect", "ticket_reaction", value="🎫"),
     "connect.ticket_reaction: '🎫' is not an emoji name; write it as Slack does, e.g. ticket or :ticket:"),
    ("mail_in", setting("mail_in", "rate_limit", value="10 an hour"),
     'mail_in.rate_limit: "10 an hour" is not a rate (write e.g. "10 per hour"; per minute, hour or day)'),
    ("mail_in-key", renaming("mail_in", "max_size", to="max_sise"),
     'mail_in.max_sise: unknown key; did you mean "max_size"?'),
    ("mail_in-imap", setting("mail_in", "imap", value={"host": "imap.example.com", "port": 993}),
     "mail_in.imap.username: missing (the mailbox's login)"),
    ("account-person", setting("support", "accounts", 0, "end_users", value=["U0ACMEUSR", "bob at acme"]),
     "support.accounts[0].end_users[1]: 'bob at acme' is neither a Slack user id (U… or W…, e.g. U0123ABCD) "
     "nor an e-mail address"),
    ("account-person-keys", setting("support", "accounts", 0, "administrators",
                                    value=[{"slack_user_id": "U0ACMEADM", "mail": "a@acme.example"}]),
     "support.accounts[0].administrators[0]: unknown key 'mail'; did you mean \"email\"?"),
    ("account-emails-key", setting("support", "accounts", 0, "end_user_emails", value=["bob@acme.example"]),
     'support.accounts[0].end_user_emails: unknown key; did you mean "end_users"?'),
]
SERVE_ENV = {"SLACK_BOT_TOKEN": "xoxb-never-used", "SLACK_SIGNING_SECRET": "never-used"}


@pytest.mark.parametrize(("edit", "words"), [pytest.param(e, w, id=i) for i, e, w in BROKEN])
def test_check_config_refuses_what_serve_tick_and_report_refuse_in_the_same_words(
        astreinte: Callable[..., Run], edited: Callable[..., Path], edit: Edit, words: str) -> None:
    path = str(edited(edit))

    checked = astreinte("check-config", path)
    assert checked.code == 2
    assert checked.lines[0].startswith(f"astreinte: {words}"), checked.err

    for argv, env in ((["serve"], SERVE_ENV), (["tick", "--no-deliver"], {}), (["report", "--month", "2026-11"], {})):
        refused = astreinte("--config", path, *argv, env=env)
        assert refused.code == 2 and len(refused.lines) == 1, argv
        assert refused.lines[0].startswith(checked.lines[0]), argv


def test_check_config_lists_every_problem_at_once_and_the_others_name_the_first(
        astreinte: Callable[..., Run], edited: Callable[..., Path]) -> None:
    broken = [(edit, words) for name, edit, words in BROKEN if name != "escalation-section"]
    path = str(edited(*(edit for edit, _ in broken)))

    checked = astreinte("check-config", path)

    assert checked.code == 2
    for _, words in broken:
        assert sum(line.startswith(f"astreinte: {words}") for line in checked.lines) == 1, words
    assert len(checked.lines) == len(broken)

    tick = astreinte("tick", "--no-deliver", "--config", path)
    assert tick.code == 2 and len(tick.lines) == 1
    assert tick.lines[0].startswith(checked.lines[0])
    assert f"(and {len(checked.lines) - 1} more problems: `astreinte check-config` lists them)" in tick.lines[0]


def test_a_missing_section_is_one_problem_not_one_per_key(astreinte: Callable[..., Run],
                                                          edited: Callable[..., Path]) -> None:
    def drop_on_call(data: dict[str, object]) -> None:
        del data["on_call"]

    checked = astreinte("check-config", str(edited(drop_on_call)))

    assert checked.lines == ["astreinte: on_call: missing section"]


def test_an_unknown_key_without_a_near_name_lists_the_keys_there_are(astreinte: Callable[..., Run],
                                                                     edited: Callable[..., Path]) -> None:
    checked = astreinte("check-config", str(edited(setting("reports", "colour", value="red"))))

    assert checked.lines == ["astreinte: reports.colour: unknown key; expected one of: channel"]


def test_private_channels_and_enterprise_users_have_ids_of_their_own_shape(
        astreinte: Callable[..., Run], edited: Callable[..., Path]) -> None:
    path = edited(setting("slack", "channels", "leads", value="G0PRIVATE1"),
                  setting("support", "leads", value=["W0ENTERPR1"]), setting("on_call", "usergroup", value="S0ONCALL1"))

    assert astreinte("check-config", str(path)).code == 0
