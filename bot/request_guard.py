"""The door of ``POST /slack/events``: what a request must prove before Bolt reads it.

Bolt verifies signatures in a middleware, *after* building its request object from the
body; and its verifier computes ``int(timestamp)`` unguarded. So a request with
``X-Slack-Request-Timestamp: soon`` (or 5,000 digits, past Python's ``int()`` limit)
raised inside Bolt's middleware chain, whose error handler then answered it as a genuine
request ("something went wrong on our side…") and looked its claimed user up on Slack;
and a body that is not a JSON object crashed while Bolt built its request, a server
error before any check at all.

Here, in order, before Bolt sees anything:

1. the body's size (413 past ``MAX_BODY_BYTES``, unread);
2. the signature (401): a timestamp of at most 12 ASCII digits within Slack's five
   minutes, a ``v0=`` signature of 64 hex digits matching the body, checked with
   slack_sdk's ``SignatureVerifier``;
3. Bolt's request object, built from those very bytes (400 when Bolt cannot parse them:
   JSON that is not, or not an object, or of shapes its context extraction trips on);
4. the envelope (400): the body has what its surface's readers need (``bot/envelope.py``).

Each refusal is one warning line and no call to Slack. Socket Mode has no HTTP request
and no signature: its payloads get step 3 in ``bot/app.py``."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import envelope

log = logging.getLogger("astreinte.request_guard")

MAX_BODY_BYTES = 1 << 20  # Slack's largest payloads (a modal of 100 blocks and its state) are far smaller
_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}", re.ASCII)
_DIGITS = re.compile(r"[0-9]{1,18}", re.ASCII)


class Refused(Exception):
    """The answer to a request that goes no further: its status and a short reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


class RequestGuard:
    def __init__(self, signing_secret: str | None) -> None:
        # Without a secret nothing can be verified, so nothing is admitted.
        self._verifier = SignatureVerifier(signing_secret) if signing_secret and signing_secret.strip() else None

    def admit(self, raw: bytes, headers: Mapping[str, str], *, query: str = "") -> BoltRequest:
        """Bolt's request for ``raw``, or ``Refused``. ``headers`` are lower-cased."""
        text = self._verified(raw, headers)
        try:
            request = BoltRequest(body=text, query=query, headers=dict(headers))
        except Exception as error:  # Bolt's parsing and context extraction assume Slack's shapes
            reason = _unreadable(text, _content_type(headers)) or "malformed request"
            log.warning("refused a request Bolt cannot read (400): %s (%s)", reason, type(error).__name__)
            raise Refused(400, reason) from None
        try:
            envelope.check(request.body, raw=text)
        except envelope.Malformed as malformed:
            log.warning("refused a malformed request (400): %s", malformed.reason)
            raise Refused(400, malformed.reason) from None
        return request

    def _verified(self, raw: bytes, headers: Mapping[str, str]) -> str:
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        why = None
        if self._verifier is None:
            why = "no signing secret is configured"
        elif not _TIMESTAMP.fullmatch(timestamp):
            why = "the timestamp is missing or not a number of seconds"
        elif not _SIGNATURE.fullmatch(signature):
            why = "the signature is missing or not of Slack's form"
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                why = "the body is not UTF-8"
            else:
                if self._verifier.is_valid(text, timestamp, signature):
                    return text
                why = "the signature does not match the body, or the timestamp is over 5 minutes off"
        log.warning("refused an unsigned or forged request (401): %s", why)
        raise Refused(401, "invalid request signature")


def content_length(value: str | None) -> int:
    """The declared body size; ``Refused`` when it is not a number or is too large."""
    if not value:
        return 0
    if not _DIGITS.fullmatch(value):  # digits only, as HTTP wants
        raise Refused(400, "invalid Content-Length")
    size = int(value)
    if size > MAX_BODY_BYTES:
        log.warning("refused a request of %d bytes (413)", size)
        raise Refused(413, "request body too large")
    return size


def _unreadable(text: str, content_type: str | None) -> str | None:
    """Why Bolt could not read ``text``, in the envelope's words (only on that path: it
    parses the body a second time)."""
    try:
        envelope.check(envelope.parse_body(text, content_type), raw=text)
    except envelope.Malformed as malformed:
        return malformed.reason
    return None


def _content_type(headers: Mapping[str, str]) -> str | None:
    value = headers.get("content-type")  # read exactly as Bolt reads it (no strip)
    return value.split(";")[0] if value else None
