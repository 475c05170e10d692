"""The Slack calls the sender makes, and what their failures mean.

The client has NO connection-error retry handler: slack_sdk's default one re-sends a post
whose answer was lost, and that post may have landed (two messages). Here a lost answer
is an unknown outcome; the sender looks for the message by its metadata before trying
again. 429 and 5xx are not retried inside the client either: the sender releases the
row with the right delay and keeps serving other channels meanwhile."""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.kept_alive import KeptAliveWebClient
from bot.rendering import Outgoing
from bot.slack_client import sdk_logger

EVENT_TYPE = "astreinte_notification"
HISTORY_PAGE, HISTORY_PAGES = 200, 5


def delivery_client(client: WebClient, *, timeout: float = 10) -> WebClient:
    """A client like ``client`` (token, URL, kept-alive connections) with no retry handler at all."""
    return KeptAliveWebClient(token=client.token, base_url=client.base_url, timeout=timeout, retry_handlers=[],  # type: ignore[arg-type]
                     logger=sdk_logger())


@dataclass(frozen=True, kw_only=True)
class Failure:
    """A failed call, classified. ``kind``: "rate_limited" (retry after ``retry_after``
    seconds), "transient" (5xx, timeout, lost connection: back off and retry; a post may
    have landed) or "permanent" (ok:false: retrying will not help, within a few tries)."""

    kind: str
    error: str
    retry_after: float = 0.0
    maybe_landed: bool = False
    in_flight: bool = False  # no answer came back: Slack may still be processing the request
    final: bool = False  # permanent and certain (an SMTP 5xx): failed at once, not after a few tries


def classify(exc: BaseException) -> Failure | None:
    """None for exceptions that are not about talking to Slack (bugs: let them show)."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        error = str(exc.response.get("error") or f"http_{status}")
        if status == 429:
            headers: Mapping[str, Any] = exc.response.headers or {}
            value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "1")
            if isinstance(value, list):
                value = value[0] if value else "1"
            try:
                retry_after = max(float(value), 1.0)
            except (TypeError, ValueError):
                retry_after = 1.0
            return Failure(kind="rate_limited", error="ratelimited", retry_after=retry_after)
        if status >= 500:
            return Failure(kind="transient", error=f"http_{status}: {error}", maybe_landed=True)
        return Failure(kind="permanent", error=error)
    if isinstance(exc, (OSError, http.client.HTTPException)):  # timeouts, resets, refused, URLError
        return Failure(kind="transient", error=f"{type(exc).__name__}: {exc}", maybe_landed=True, in_flight=True)
    return None


def metadata(key: str) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key}}


class SlackIO:
    """The handful of Web API calls the sender needs."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._dm_channels: dict[str, str] = {}

    def post(self, *, channel: str, message: Outgoing, key: str, thread_ts: str | None = None,
             broadcast: bool = False) -> tuple[str, str]:
        extra: dict[str, Any] = {"thread_ts": thread_ts, "reply_broadcast": True} if broadcast and thread_ts else (
            {"thread_ts": thread_ts} if thread_ts else {})
        response = self.client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks,
                                                metadata=metadata(key), unfurl_links=False, unfurl_media=False,
                                                **extra)
        return str(response["channel"]), str(response["ts"])

    def update(self, *, channel: str, ts: str, message: Outgoing) -> None:
        """Re-render in place. The metadata is left alone: the root keeps the key it was
        posted with, which is what a recovering sender looks for."""
        self.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)

    def dm_channel(self, user_id: str) -> str:
        """The app's DM with ``user_id`` (conversations.open), cached: it never changes."""
        if user_id not in self._dm_channels:
            response = self.client.conversations_open(users=[user_id])
            self._dm_channels[user_id] = str(response["channel"]["id"])
        return self._dm_channels[user_id]

    def permalink(self, *, channel: str, ts: str) -> str:
        return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])

    def find_by_key(self, *, channel: str, key: str, oldest: float, thread_ts: str | None = None) -> str | None:
        """The ts of a message we posted with this metadata key since ``oldest``, if any:
        the history (or the thread's replies), newest first, a few pages at most."""
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            args: dict[str, Any] = {"channel": channel, "oldest": f"{oldest:.6f}", "limit": HISTORY_PAGE,
                                    "include_all_metadata": True}
            if cursor:
                args["cursor"] = cursor
            if thread_ts:
                response = self.client.conversations_replies(ts=thread_ts, **args)
            else:
                response = self.client.conversations_history(**args)
            for message in response.get("messages") or []:
                meta = message.get("metadata") or {}
                if meta.get("event_type") == EVENT_TYPE and (meta.get("event_payload") or {}).get("key") == key:
                    return str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                return None
        return None
