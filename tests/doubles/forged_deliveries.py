"""Requests Slack would never send: unsigned, altered after signing, or signed too long ago.

Bolt must answer each with 401 and run no listener. They are `Delivery` subclasses, so
every `SlackClientSimulator` method can send any payload any of these ways.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.offline.signed_requests import Delivery, SlackRequestSigner

STALE_BY_SECONDS = 6 * 60  # Bolt refuses timestamps over five minutes old


@dataclass(frozen=True, kw_only=True)
class ForgedDelivery(Delivery):
    signed: bool = True
    tampered: bool = False  # body altered after signing
    stale: bool = False  # correctly signed, but the timestamp is six minutes old

    def wire(self, body: str, signer: SlackRequestSigner) -> tuple[str, dict[str, str]]:
        genuine_body, headers = super().wire(body, signer)
        if not self.signed:
            headers.pop("X-Slack-Request-Timestamp")
            headers.pop("X-Slack-Signature")
        elif self.stale:
            headers.update(signer.headers(body, timestamp=int(time.time()) - STALE_BY_SECONDS))
        return (genuine_body + " " if self.tampered else genuine_body), headers


UNSIGNED = ForgedDelivery(signed=False)
TAMPERED = ForgedDelivery(tampered=True)
STALE = ForgedDelivery(stale=True)
