"""The HTTP surface: ``POST /slack/events`` (commands, interactivity and events), ``GET
/healthz``, ``GET /metrics``, ``/email/resolution`` (a proposal answered from e-mail,
``bot/mail/outgoing_page.py``), the bug tracker's ``POST /webhooks/github`` and
``/webhooks/jira`` (``bot/trackers/webhooks.py``, when a tracker is configured) and the
public status page (``/status``, ``/status.json``, ``/status/feed.atom``: ``bot/status_pages``).
A plain WSGI callable, served by gunicorn in production
(``astreinte serve``) and by a threading server on loopback in tests and the demo.

A Slack request is admitted by the app's request guard (``bot/request_guard.py``: size,
signature, envelope) before Bolt builds its request from the same bytes; a refusal is
answered here, 401/400/413, with no call to Slack. Only our own fault is a 500, and its
id is logged."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse

from bot.app import AstreinteApp
from bot.errors import new_incident_id
from bot.mail.outgoing_links import RESOLUTION_PATH
from bot.mail.outgoing_page import ResolutionPage
from bot.request_guard import Refused, content_length
from bot.trackers.webhooks import MAX_BODY_BYTES as WEBHOOK_MAX_BYTES
from bot.trackers.webhooks import PATHS as WEBHOOK_PATHS
from bot.trackers.webhooks import TrackerWebhooks

log = logging.getLogger("astreinte.server")

StartResponse = Callable[..., Any]
HealthCheck = Callable[[], tuple[bool, dict[str, Any]]]
MetricsText = Callable[[], str]
EVENTS_PATH = "/slack/events"


class AstreinteWSGI:
    def __init__(self, app: AstreinteApp, *, health: HealthCheck, metrics: MetricsText | None = None,
                 webhooks: TrackerWebhooks | None = None, status: Any | None = None) -> None:
        self._app = app
        self._webhooks = webhooks  # the bug tracker's (bot/trackers/webhooks.py), when one is configured
        self._status = status  # bot.status_pages.wsgi.StatusRoutes: public GETs, no Slack signature
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)  # everything but a POST of an event: 404
        self._health = health
        self._metrics = metrics
        self._resolution_page: ResolutionPage | None = None  # built at its first request

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST":
            return self._slack_request(environ, start_response)
        if path in WEBHOOK_PATHS and method == "POST" and self._webhooks is not None:
            return self._tracker_webhook(path, environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy, detail = self._health()
            body = json.dumps({"status": "ok" if healthy else "degraded", **detail}, default=str).encode()
            start_response("200 OK" if healthy else "503 Service Unavailable",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if self._status is not None and self._status.handles(path):
            return self._status_request(environ, start_response)
        if path == RESOLUTION_PATH:
            if self._resolution_page is None:
                self._resolution_page = ResolutionPage(self._app.ctx)
            return self._resolution_page(environ, start_response)
        if path == "/metrics" and method == "GET" and self._metrics is not None:
            body = self._metrics().encode()
            start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return self._slack(environ, start_response)

    def _status_request(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            return self._status(environ, start_response)  # type: ignore[no-any-return,misc]
        except Exception:  # the database unreachable, our bug: a 503 with an id, never a traceback
            incident = new_incident_id()
            log.exception("error %s while serving the status page", incident)
            body = f"status page unavailable (error {incident})".encode()
            start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8"),
                                                       ("Content-Length", str(len(body))), ("Retry-After", "30")])
            return [body]

    def _slack_request(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if self._app.request_guard is None:  # an app built for Socket Mode: nothing here may reach it
            return _answer(start_response, WsgiHttpResponse(
                status=404, headers={"content-type": ["text/plain; charset=utf-8"]}, body="not found"))
        http = WsgiHttpRequest(environ)
        headers = {name: str(value) for name, value in http.get_headers().items()}
        try:
            size = content_length(headers.get("content-length"))
            raw = environ["wsgi.input"].read(size) if size else b""
            request = self._app.request_guard.admit(raw, headers, query=http.query_string)
        except Refused as refusal:
            return _answer(start_response, WsgiHttpResponse(
                status=refusal.status, headers={"content-type": ["text/plain; charset=utf-8"]}, body=refusal.reason))
        try:
            bolt = self._app.dispatch(request)
            response = WsgiHttpResponse(status=bolt.status, headers=bolt.headers, body=bolt.body)
        except Exception:  # Bolt's dispatch handles listeners' errors; this would be ours
            incident = new_incident_id()
            log.exception("error %s while dispatching a Slack request", incident)
            response = WsgiHttpResponse(status=500, headers={"content-type": ["text/plain; charset=utf-8"]},
                                        body=f"error {incident}")
        return _answer(start_response, response)


    def _tracker_webhook(self, path: str, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        assert self._webhooks is not None
        headers = {name: str(value) for name, value in WsgiHttpRequest(environ).get_headers().items()}
        try:
            size = content_length(headers.get("content-length"))
        except Refused as refusal:
            return _json(start_response, refusal.status, {"error": refusal.reason})
        if size > WEBHOOK_MAX_BYTES:
            return _json(start_response, 413, {"error": "too large"})
        raw = environ["wsgi.input"].read(size) if size else b""
        try:
            answer = self._webhooks.handle(path, headers, raw)
        except Exception:  # ours: logged with an id; the tracker retries its delivery
            incident = new_incident_id()
            log.exception("error %s while handling a %s webhook", incident, path)
            return _json(start_response, 500, {"error": f"error {incident}"})
        return _json(start_response, answer.status, answer.body)


def _json(start_response: StartResponse, status: int, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    start_response(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "application/json"),
                                                            ("Content-Length", str(len(data)))])
    return [data]


def _answer(start_response: StartResponse, response: WsgiHttpResponse) -> Iterable[bytes]:
    start_response(response.status, response.get_headers())
    return response.get_body()
