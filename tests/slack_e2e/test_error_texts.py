"""Every refusal any package can raise has its own text in both languages: the codes are
read from the sources of ``sla_core`` and ``bot`` (``code="…"`` and class defaults) and
from the declarations that hold codes as data (the ticket actions' fields, the desk's
capabilities)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import messages
from bot.errors import user_message
from sla_core.authorization import DESK_RULES
from sla_core.errors import CodedError, InputError, UsageError
from sla_core.tickets.actions import DECLARED

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("sla_core", "bot")
_CODE = re.compile(r"""\bcode(?:\s*:\s*str)?\s*=\s*["'](\w+)["']""")
ABSTRACT = {"error"}  # CodedError's own default: every concrete error names its code


def _codes_in_sources() -> set[str]:
    return {code for package in PACKAGES for path in (ROOT / package).rglob("*.py")
            for code in _CODE.findall(path.read_text(encoding="utf-8"))} - ABSTRACT


def _codes_declared() -> set[str]:
    fields = {code for spec in DECLARED.values() for f in spec.fields for code in (f.missing, f.invalid) if code}
    return fields | {rule.code for rule in DESK_RULES.values()}


CODES = sorted(_codes_in_sources() | _codes_declared())
PARAMS = {"ref": "INC-2026-000001", "status": "opened", "action": "acknowledge", "by": "U0AGENT01",
          "at": "2026-11-20T19:35:00+01:00", "deadline": "2026-12-04T19:35:00+01:00", "account": "ACME Corp",
          "administrators": ["U0ACMEADM"], "user": "U0ACMEUSR", "accounts": ["acme"], "channel": "fax",
          "choices": ["phone"], "kind": "hack", "severity": "low", "field": "text", "doing": "x", "max": 2400, "length": 2401,
          "fields": ["title"], "current": "0002", "expected": "0003", "minutes": 0, "cause": "aliens",
          "outage_id": 7, "window_id": 3, "service": "api", "left_minutes": 30, "budget_minutes": 60,
          "month": "2026-12", "host": "smtp.example.com", "port": 25, "problem": "refused", "starts_at":
          "2026-12-05T22:00:00+01:00", "ends_at": "2026-12-05T23:00:00+01:00", "until": "2026-11-20T19:35:00+01:00"}


def test_the_codes_of_every_package_were_found() -> None:
    assert {"already_done", "end_user", "not_an_agent", "reopen_window_passed", "text_required",  # tickets
            "invalid_channel", "snooze_out_of_range",  # declared with the actions' fields
            "not_a_lead", "report_agents_only",  # the desk's capabilities
            "outage_not_found", "maintenance_over_budget",  # availability
            "oncall_usage", "outage_usage"} <= set(CODES)  # raised by bot/


@pytest.mark.parametrize("language", messages.LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_every_code_has_its_own_translated_text(code: str, language: str) -> None:
    assert f"error.{code}" in messages.keys(language)
    text = user_message(CodedError("english", code=code, **PARAMS), language)
    assert text and text != "english" and "{{" not in text


def test_already_done_names_who_and_when() -> None:
    text = user_message(CodedError("x", code="already_done", **PARAMS), "en")
    assert "<@U0AGENT01>" in text and "<!date^" in text and "acknowledged" in text


@pytest.mark.parametrize("language", messages.LANGUAGES)
def test_a_usage_mistake_in_slack_is_told_in_the_users_language(language: str) -> None:
    error = UsageError("/incident oncall set", "Name the person with an @mention.", code="oncall_usage")
    assert user_message(error, language) == messages.render("error.oncall_usage", language)
    assert isinstance(error, InputError) and error.option == "/incident oncall set"  # as the command line says it
    assert str(error) == "/incident oncall set: Name the person with an @mention."
