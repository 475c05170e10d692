"""The reporter's personal data out of a text bound for the tracker: e-mail addresses and
phone numbers (and Slack mentions, which name a person), replaced by ``[email]``,
``[phone]`` and ``[user]``.

Phone numbers are found with ``phonenumbers`` (Google's libphonenumber, well kept and the
reference for the world's numbering plans): a regular expression either misses "+33 (0)1
23 45 67 89" or swallows every timestamp and version in a stack trace. Numbers are read
as French when written without a country code (the contract's desk is French), at the
library's "valid number" leniency, so "5.2.4", "2026-12-01" or a port number stay. The
ticket's recorded contact phone is removed as written too, whatever its shape ("ext. 4321").
E-mail addresses: one conservative pattern (RFC 5322 in full would also match code)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

EMAIL = "[email]"
PHONE = "[phone]"
USER = "[user]"
DEFAULT_REGION = "FR"

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_MAILTO = re.compile(r"<mailto:[^|>]*(?:\|[^>]*)?>")  # Slack writes a typed address as <mailto:a@b|a@b>
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


def scrub(text: str, *, known: Iterable[str | None] = (), region: str = DEFAULT_REGION) -> str:
    """``text`` without e-mail addresses, phone numbers (and the ``known`` ones as
    written), or Slack user mentions."""
    if not text:
        return text
    out = _MAILTO.sub(EMAIL, text)
    out = _EMAIL.sub(EMAIL, out)
    out = _MENTION.sub(USER, out)
    for literal in sorted({k.strip() for k in known if k and k.strip()}, key=len, reverse=True):
        out = out.replace(literal, PHONE)
    return _phones(out, region)


def _phones(text: str, region: str) -> str:
    spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, region)]
    for start, end in reversed(spans):
        text = text[:start] + PHONE + text[end:]
    return text
