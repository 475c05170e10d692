"""Every refusal the ticket domain can raise has its own text in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import messages
from bot.errors import user_message
from sla_core.tickets.errors import TicketError

SOURCES = Path(__file__).resolve().parents[2] / "sla_core" / "tickets"
CODES = sorted({m for f in SOURCES.glob("*.py")
                for m in re.findall(r"""code\s*=\s*["'](\w+)["']""", f.read_text(encoding="utf-8"))})
PARAMS = {"ref": "INC-2026-000001", "status": "opened", "action": "acknowledge", "by": "U0AGENT01",
          "at": "2026-11-20T19:35:00+01:00", "deadline": "2026-12-04T19:35:00+01:00", "account": "ACME Corp",
          "administrators": ["U0ACMEADM"], "user": "U0ACMEUSR", "accounts": ["acme"], "channel": "fax",
          "choices": ["phone"], "kind": "hack", "severity": "low", "field": "text", "doing": "x",
          "fields": ["title"], "current": "0002", "expected": "0003", "max": 2400, "length": 2401}


def test_the_codes_were_found() -> None:
    assert {"already_done", "end_user", "not_an_agent", "reopen_window_passed", "text_required"} <= set(CODES)


@pytest.mark.parametrize("language", messages.LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_every_code_has_its_own_translated_text(code: str, language: str) -> None:
    assert f"error.{code}" in messages.keys(language)
    text = user_message(TicketError("english", code=code, **PARAMS), language)
    assert text and text != "english" and "{{" not in text


def test_already_done_names_who_and_when() -> None:
    text = user_message(TicketError("x", code="already_done", **PARAMS), "en")
    assert "<@U0AGENT01>" in text and "<!date^" in text and "acknowledged" in text
