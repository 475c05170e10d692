"""Slack's side of the wire towards our app: signed HTTP requests, sent with urllib.

Bolt rejects with 401 any request whose `X-Slack-Signature` does not match the raw body
and `X-Slack-Request-Timestamp`, or whose timestamp is over five minutes old. Sending
real signed requests over HTTP exercises that check and the body parsing exactly as
production does. `Delivery` describes how a request travels (first delivery or Slack's
retry), separately from what it says; the tests' forged deliveries (unsigned, tampered,
stale, in `tests/doubles`) are subclasses that put other bytes and headers on the wire.
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.error import HTTPError
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.offline import payloads

JsonDict = dict[str, Any]


class SlackRequestSigner:
    """Computes the headers Slack adds to prove a request comes from Slack."""

    def __init__(self, signing_secret: str) -> None:
        self._verifier = SignatureVerifier(signing_secret)

    def headers(self, body: str, *, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = self._verifier.generate_signature(timestamp=ts, body=body)
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature or ""}


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """How a request reaches the app. The default is a genuine first delivery."""

    retry_num: int | None = None  # Slack re-sending an event it thinks we missed
    retry_reason: str = "http_timeout"

    def wire(self, body: str, signer: SlackRequestSigner) -> tuple[str, dict[str, str]]:
        """The bytes sent and the Slack headers that go with them."""
        headers = signer.headers(body)
        if self.retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(self.retry_num)
            headers["X-Slack-Retry-Reason"] = self.retry_reason
        return body, headers


GENUINE = Delivery()


@dataclass(frozen=True, kw_only=True)
class SimulatedResponse:
    """What the app answered; `body` is parsed JSON, text, or None when empty."""

    status: int
    headers: dict[str, str]
    body: Any
    sent: JsonDict = field(default_factory=dict)
    response_url_name: str | None = None


class ResponseUrlFactory(Protocol):
    """Matches `FakeSlack.response_url`: a URL on the fake for a named response_url."""

    def __call__(self, name: str, *, channel: str | None = None) -> str: ...


class SlackClientSimulator:
    """Plays Slack sending slash commands, interactions and events to our app.

    `app_url` is the full endpoint, e.g. serve_wsgi's URL + "/slack/events". Pass
    `response_url_factory=fake.response_url` so the app's `respond()` lands on FakeSlack.
    """

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        *,
        team_id: str = "T0ASTRE1",
        api_app_id: str = "A0ASTAPP",
        user_id: str = "U0ALICE",
        channel_id: str = "C0ASTRE1",
        response_url_factory: ResponseUrlFactory | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.app_url = app_url
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.user_id = user_id
        self.channel_id = channel_id
        self._signer = SlackRequestSigner(signing_secret)
        self._response_url_factory = response_url_factory
        self._timeout = timeout
        self._names = itertools.count(1)

    # ----- what Slack sends -------------------------------------------------------------

    def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str | None = None,
        channel_id: str | None = None,
        delivery: Delivery = GENUINE,
    ) -> SimulatedResponse:
        channel = channel_id or self.channel_id
        name, url = self._new_response_url(command.strip("/"), channel)
        fields = payloads.slash_command(
            command=command,
            text=text,
            user_id=user_id or self.user_id,
            channel_id=channel,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            response_url=url,
            trigger_id=payloads.new_trigger_id(),
        )
        response = self.send_form(fields, delivery=delivery)
        return SimulatedResponse(
            status=response.status, headers=response.headers, body=response.body, sent=fields, response_url_name=name
        )

    def view_submission(
        self,
        callback_id: str,
        values: Mapping[str, Mapping[str, Any]],
        *,
        private_metadata: str = "",
        user_id: str | None = None,
        view_id: str = "V0ASTVIEW1",
        delivery: Delivery = GENUINE,
    ) -> SimulatedResponse:
        """`values` is `{block_id: {action_id: value}}`, see `payloads.state_values`."""
        view = payloads.modal_view(
            callback_id=callback_id,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            values=values,
            private_metadata=private_metadata,
            view_id=view_id,
        )
        payload = payloads.view_submission(
            view=view,
            user_id=user_id or self.user_id,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            trigger_id=payloads.new_trigger_id(),
        )
        return self.send_interaction(payload, delivery=delivery)

    def view_closed(
        self,
        callback_id: str,
        *,
        private_metadata: str = "",
        user_id: str | None = None,
        delivery: Delivery = GENUINE,
    ) -> SimulatedResponse:
        view = payloads.modal_view(
            callback_id=callback_id, team_id=self.team_id, api_app_id=self.api_app_id, private_metadata=private_metadata
        )
        payload = payloads.view_closed(
            view=view, user_id=user_id or self.user_id, team_id=self.team_id, api_app_id=self.api_app_id
        )
        return self.send_interaction(payload, delivery=delivery)

    def block_action(
        self,
        action_id: str,
        *,
        value: str = "",
        block_id: str = "actions",
        message: Mapping[str, Any] | None = None,
        channel_id: str | None = None,
        view: JsonDict | None = None,
        user_id: str | None = None,
        delivery: Delivery = GENUINE,
    ) -> SimulatedResponse:
        """A button click in `message` (needs at least its "ts") or, with `view`, in a view."""
        channel = channel_id or self.channel_id
        name, url = self._new_response_url(f"action-{action_id}", channel)
        payload = payloads.block_actions(
            actions=[payloads.button_action(action_id=action_id, value=value, block_id=block_id)],
            user_id=user_id or self.user_id,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
            trigger_id=payloads.new_trigger_id(),
            response_url=url,
            channel_id=channel,
            message=dict(message) if message is not None else None,
            view=view,
        )
        response = self.send_interaction(payload, delivery=delivery)
        return SimulatedResponse(
            status=response.status, headers=response.headers, body=response.body, sent=payload, response_url_name=name
        )

    def event(self, event: JsonDict, *, event_id: str | None = None, delivery: Delivery = GENUINE) -> SimulatedResponse:
        """An Events API callback; reuse `event_id` with `Delivery(retry_num=1)` for a replay."""
        envelope = payloads.event_callback(
            event=event, team_id=self.team_id, api_app_id=self.api_app_id, event_id=event_id
        )
        return self.send_json(envelope, delivery=delivery)

    def app_home_opened(
        self, *, user_id: str | None = None, channel_id: str = "D0ASTHOME", delivery: Delivery = GENUINE
    ) -> SimulatedResponse:
        event = payloads.app_home_opened(user_id=user_id or self.user_id, channel_id=channel_id)
        return self.event(event, delivery=delivery)

    def url_verification(self, challenge: str, *, delivery: Delivery = GENUINE) -> SimulatedResponse:
        return self.send_json(payloads.url_verification(challenge), delivery=delivery)

    # ----- how Slack sends it -------------------------------------------------------------

    def send_interaction(self, payload: JsonDict, *, delivery: Delivery = GENUINE) -> SimulatedResponse:
        """Interactivity posts a form with one field, `payload`, holding JSON."""
        return self.send_form({"payload": json.dumps(payload)}, delivery=delivery, sent=payload)

    def send_form(
        self, fields: Mapping[str, str], *, delivery: Delivery = GENUINE, sent: JsonDict | None = None
    ) -> SimulatedResponse:
        body = urlencode(fields)
        return self._post(body, "application/x-www-form-urlencoded", delivery, sent or dict(fields))

    def send_json(self, document: JsonDict, *, delivery: Delivery = GENUINE) -> SimulatedResponse:
        return self._post(json.dumps(document), "application/json", delivery, document)

    def _post(self, body: str, content_type: str, delivery: Delivery, sent: JsonDict) -> SimulatedResponse:
        wire_body, slack_headers = delivery.wire(body, self._signer)
        headers = {"Content-Type": content_type, **slack_headers}
        request = urllib.request.Request(self.app_url, data=wire_body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as answer:
                return _simulated(answer.status, dict(answer.headers.items()), answer.read(), sent)
        except HTTPError as error:
            with error:
                return _simulated(error.code, dict(error.headers.items()), error.read(), sent)

    def _new_response_url(self, label: str, channel: str) -> tuple[str, str]:
        name = f"{label}-{next(self._names)}"
        if self._response_url_factory is None:
            return name, f"https://hooks.slack.com/commands/{self.team_id}/{name}/not-reachable"
        return name, self._response_url_factory(name, channel=channel)


def _simulated(status: int, headers: dict[str, str], raw: bytes, sent: JsonDict) -> SimulatedResponse:
    text = raw.decode("utf-8")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    body: Any = None
    if text and "json" in content_type:
        body = json.loads(text)
    elif text:
        body = text
    return SimulatedResponse(status=status, headers=headers, body=body, sent=sent)
