"""`FaultySlack`: the package's offline `FakeSlack`, plus the misbehaviour tests provoke.

The demo needs a Slack that behaves; the tests need one that rate-limits, fails, answers
late or hangs up after doing the work, and one that speaks HTTPS. Those live here, on top
of the package's fake, through the two answering seams it exposes.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

from bot.offline.fake_slack import FakeSlack, JsonDict
from bot.offline.fake_slack_http import FakeSlackServer, IncomingCall, Responder
from tests.doubles.faults import Fault, FaultPlan, build_fault

RESPONSE_URL = "response_url"  # the "method" name faults use for posts to a response_url


class FaultySlack(FakeSlack):
    """`FakeSlack` that misbehaves on request (429, 5xx, ok:false, slow or lost answers)."""

    def __init__(self, *, tls: ssl.SSLContext | None = None, **identity: Any) -> None:
        """``tls``: a server context to answer over HTTPS, as Slack does (``https://`` URLs)."""
        super().__init__(**identity)
        self._tls = tls
        self._faults = FaultPlan()

    def _start_server(self) -> FakeSlackServer:
        server = super()._start_server()
        if self._tls is not None:
            server.socket = self._tls.wrap_socket(server.socket, server_side=True)
        return server

    @property
    def _scheme(self) -> str:
        return "https" if self._tls is not None else "http"

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        error: str | None = None,
        delay: float | None = None,
        drop_after_commit: bool = False,
    ) -> None:
        """Make the next `count` calls of `method` misbehave.

        Default: HTTP 429 with `Retry-After: retry_after`. `status=500/503`: a server
        error. `error="…"`: HTTP 200 with ok:false. `delay=s`: answer after s seconds
        and still perform the call (the client may have timed out: unknown outcome).
        `drop_after_commit=True`: perform the call, then hang up without answering.
        """
        fault = build_fault(
            status=status, retry_after=retry_after, error=error, delay=delay, drop_after_commit=drop_after_commit
        )
        self._faults.queue(method, fault, count=count)

    def set_rate_limit(self, method: str, *, per_channel_per_second: float = 1.0) -> None:
        """Answer 429 when one channel gets `method` calls faster than this rate."""
        self._faults.set_rate_limit(method, per_channel_per_second=per_channel_per_second)

    def reset(self) -> None:
        """Forget calls, messages, views, responses and faults; keep users and groups."""
        super().reset()
        self._faults.clear()

    def _answer_web_api(self, method: str, call: IncomingCall, responder: Responder) -> None:
        channel = call.params.get("channel")
        fault = self._faults.next_fault(
            method, channel=channel if isinstance(channel, str) else None, now=time.monotonic()
        )
        if fault is None:
            super()._answer_web_api(method, call, responder)
        elif fault.kind == "http_status":
            self._record(method, call, outcome=f"http_{fault.status}")
            body, status, headers = _http_failure(fault)
            responder.send_json(body, status=status, headers=headers)
        elif fault.kind == "api_error":
            self._record(method, call, outcome=f"error:{fault.error}")
            responder.send_json({"ok": False, "error": fault.error})
        elif fault.kind == "delay":
            if self._closing.wait(fault.delay):
                responder.hang_up()  # shutting down: neither perform nor answer
            else:
                responder.send_json(self._perform(method, call, outcome="delayed"))
        else:
            self._perform(method, call, outcome="dropped")
            responder.hang_up()

    def _answer_response_url(self, name: str, body: JsonDict, responder: Responder) -> None:
        self._record_response_post(name, body)
        # `fail_next(RESPONSE_URL, delay=s)`: recorded at once, answered s seconds later,
        # as a slow Slack would (the poster waits; nothing else does).
        fault = self._faults.next_fault(RESPONSE_URL, channel=None, now=time.monotonic())
        if fault is not None and fault.kind == "delay" and self._closing.wait(fault.delay):
            responder.hang_up()
            return
        responder.send_json({"ok": True})


def _http_failure(fault: Fault) -> tuple[JsonDict, int, dict[str, str]]:
    """Slack's bodies: 429 says "ratelimited" with Retry-After; 5xx an internal error."""
    if fault.status == 429:
        return {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(fault.retry_after)}
    return {"ok": False, "error": "internal_error"}, fault.status, {}
