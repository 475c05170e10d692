"""The HTTP surface: ``POST /slack/events`` (commands, interactivity and events, through
Bolt's WSGI adapter), ``GET /healthz`` and ``GET /metrics``. A plain WSGI callable, served
by gunicorn in production (``astreinte serve``) and by a threading server on loopback in
tests and the demo."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

StartResponse = Callable[..., Any]
HealthCheck = Callable[[], tuple[bool, dict[str, Any]]]
MetricsText = Callable[[], str]


class AstreinteWSGI:
    def __init__(self, app: App, *, health: HealthCheck, metrics: MetricsText | None = None) -> None:
        self._slack = SlackRequestHandler(app, path="/slack/events")
        self._health = health
        self._metrics = metrics

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            healthy, detail = self._health()
            body = json.dumps({"status": "ok" if healthy else "degraded", **detail}, default=str).encode()
            start_response("200 OK" if healthy else "503 Service Unavailable",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/metrics" and method == "GET" and self._metrics is not None:
            body = self._metrics().encode()
            start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return self._slack(environ, start_response)
