"""The HTTP surface: ``POST /slack/events`` (commands, interactivity and events), ``GET
/healthz``, ``GET /metrics`` and ``/email/resolution`` (a proposal answered from e-mail,
``bot/mail/outgoing_page.py``). A plain WSGI callable, served by gunicorn in production
(``astreinte serve``) and by a threading server on loopback in tests and the demo.

A Slack request is admitted by the app's request guard (``bot/request_guard.py``: size,
signature, envelope) before Bolt builds its request from the same bytes; a refusal is
answered here, 401/400/413, with no call to Slack. Only our own fault is a 500, and its
id is logged."""

from __future__ import annotations

import json
import logging
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

log = logging.getLogger("astreinte.server")

StartResponse = Callable[..., Any]
HealthCheck = Callable[[], tuple[bool, dict[str, Any]]]
MetricsText = Callable[[], str]
EVENTS_PATH = "/slack/events"


class AstreinteWSGI:
    def __init__(self, app: AstreinteApp, *, health: HealthCheck, metrics: MetricsText | None = None) -> None:
        self._app = app
        self._slack = SlackRequestHandler(app, path=EVENTS_PATH)  # everything but a POST of an event: 404
        self._health = health
        self._metrics = metrics
        self._resolution_page: ResolutionPage | None = None  # built at its first request

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == EVENTS_PATH and method == "POST" and self._app.request_guard is not None:
            return self._slack_request(environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy, detail = self._health()
            body = json.dumps({"status": "ok" if healthy else "degraded", **detail}, default=str).encode()
            start_response("200 OK" if healthy else "503 Service Unavailable",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
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

    def _slack_request(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        assert self._app.request_guard is not None
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


def _answer(start_response: StartResponse, response: WsgiHttpResponse) -> Iterable[bytes]:
    start_response(response.status, response.get_headers())
    return response.get_body()
