"""Signed, expiring links that let a reporter accept or reject a proposed resolution from
their e-mail.

A token names one proposal (the ticket, the event's place in its log), one answer
(accept or reject), the reporter who may give it, the language of the page and when it
stops working, signed with HMAC-SHA256 under a secret from the environment. It is
single-use in effect: once the proposal is answered (or another one made) the ticket no
longer waits on that proposal, and the token is refused as used.

Written with the standard library (``hmac``) rather than itsdangerous: the time is passed
in, as everywhere in the domain, where itsdangerous's timed serializer reads the clock."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

ACCEPT, REJECT = "accept", "reject"
ANSWERS = (ACCEPT, REJECT)
MIN_SECRET_LENGTH = 32


class LinkRefused(ValueError):
    """A token that cannot be used; ``code``: ``forged`` (malformed, or not signed by us),
    ``expired`` or ``used`` (the proposal was answered, or is no longer the current one)."""

    def __init__(self, code: str, detail: str = "", *, lang: str | None = None) -> None:
        super().__init__(detail or code)
        self.code = code
        self.lang = lang  # the page's language, once a genuine token named it


@dataclass(frozen=True, kw_only=True)
class ResolutionLink:
    ref: str
    seq: int  # the resolution_proposed event this answers
    answer: str  # accept | reject
    reporter_id: str  # who acts
    lang: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, b"astreinte-resolution-link:" + body.encode("ascii"), hashlib.sha256).digest())


def sign(link: ResolutionLink, secret: bytes) -> str:
    if link.answer not in ANSWERS:
        raise ValueError(f"{link.answer!r} is not an answer to a proposal")
    claims = {"r": link.ref, "s": link.seq, "a": link.answer, "u": link.reporter_id, "l": link.lang,
              "x": int(link.expires_at.timestamp())}
    body = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_signature(secret, body)}"


def verify(token: str, secret: bytes, *, now: datetime) -> ResolutionLink:
    """The link a token stands for; raises LinkRefused (forged or expired)."""
    body, dot, signature = (token or "").strip().partition(".")
    if not dot or not body or not signature or len(token) > 2000:
        raise LinkRefused("forged", "not a link token")
    if not hmac.compare_digest(signature, _signature(secret, body)):
        raise LinkRefused("forged", "bad signature")
    try:
        claims = json.loads(_unb64(body))
        link = ResolutionLink(ref=str(claims["r"]), seq=int(claims["s"]), answer=str(claims["a"]),
                              reporter_id=str(claims["u"]), lang=str(claims["l"]),
                              expires_at=datetime.fromtimestamp(int(claims["x"]), UTC))
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:  # signed by us, so never: still no 500
        raise LinkRefused("forged", f"unreadable claims: {exc}") from exc
    if link.answer not in ANSWERS:
        raise LinkRefused("forged", "unknown answer")
    if now >= link.expires_at:
        raise LinkRefused("expired", f"expired at {link.expires_at.isoformat()}", lang=link.lang)
    return link
