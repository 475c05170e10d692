"""Calls to a tracker, and what their failures mean to the outbox.

- 429, or 403 with ``X-RateLimit-Remaining: 0`` or a ``Retry-After`` (GitHub's primary and
  secondary limits): rate limited; wait ``Retry-After`` seconds (or an HTTP date), else
  until ``X-RateLimit-Reset`` (epoch seconds), else a minute.
- 5xx: transient, and the call may have landed (an issue may exist): the retry looks for
  its marker first. A ``Retry-After`` on a 503 (Jira sends one) is honoured.
- No answer (timeout, reset mid-answer): transient and *in flight*: the tracker may still
  create the issue; the retry waits a little, then looks for the marker.
- Refused connection, DNS: transient, the request never left.
- 404: the issue does not exist (``NotFound``); other 4xx: permanent (bad token, bad
  project): retried a few times, then failed for good and shown by ``/healthz``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

DEFAULT_WAIT = 60.0
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class TrackerFailure(Exception):
    """A call that did not succeed, classified for the outbox."""

    def __init__(self, kind: str, error: str, *, retry_after: float = 0.0, maybe_landed: bool = False,
                 in_flight: bool = False) -> None:
        super().__init__(error)
        self.kind = kind  # rate_limited | transient | permanent | not_found
        self.error = error
        self.retry_after = retry_after
        self.maybe_landed = maybe_landed
        self.in_flight = in_flight


@dataclass(frozen=True, kw_only=True)
class Api:
    """One tracker's base URL and client (auth and headers set once)."""

    base_url: str
    client: httpx.Client

    def call(self, method: str, path_or_url: str, **kwargs: Any) -> httpx.Response:
        url = path_or_url if "://" in path_or_url else f"{self.base_url}{path_or_url}"
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.ConnectError as exc:  # never reached the tracker
            raise TrackerFailure("transient", f"connect: {exc}") from exc
        except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise TrackerFailure("transient", f"{type(exc).__name__}: {exc}", maybe_landed=True,
                                 in_flight=True) from exc
        except httpx.TransportError as exc:
            raise TrackerFailure("transient", f"{type(exc).__name__}: {exc}", maybe_landed=True) from exc
        failure = classify(response)
        if failure is not None:
            raise failure
        return response

    def close(self) -> None:
        self.client.close()


def classify(response: httpx.Response, *, now: float | None = None) -> TrackerFailure | None:
    status = response.status_code
    if status < 400:
        return None
    headers = response.headers
    what = f"http_{status}: {_message(response)}"
    limited = status == 429 or (status == 403 and (headers.get("x-ratelimit-remaining") == "0"
                                                   or "retry-after" in headers))
    if limited:
        return TrackerFailure("rate_limited", what, retry_after=wait_for(headers, now=now))
    if status >= 500:
        retry = wait_for(headers, now=now, default=0.0)
        return TrackerFailure("transient", what, retry_after=retry, maybe_landed=True)
    if status == 404:
        return TrackerFailure("not_found", what)
    return TrackerFailure("permanent", what)


def wait_for(headers: httpx.Headers, *, now: float | None = None, default: float = DEFAULT_WAIT) -> float:
    """Seconds to wait, from ``Retry-After`` (seconds or an HTTP date), else
    ``X-RateLimit-Reset`` (epoch seconds) when none remain, else ``default``."""
    now = time.time() if now is None else now
    value = headers.get("retry-after")
    if value:
        try:
            return max(float(value), 1.0)
        except ValueError:
            try:
                return max(parsedate_to_datetime(value).timestamp() - now, 1.0)
            except (TypeError, ValueError):
                pass
    reset = headers.get("x-ratelimit-reset")
    if reset and headers.get("x-ratelimit-remaining", "0") == "0":
        try:
            return max(float(reset) - now, 1.0)
        except ValueError:
            pass
    return default


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return str(body.get("message") or body.get("errorMessages") or body.get("errors") or body)[:300]
    return str(body)[:300]
