"""``astreinte serve`` in Socket Mode (``SLACK_APP_TOKEN`` set): Slack delivers over a
WebSocket the app opens, so no public URL is needed — right for a first install or a
single replica behind a firewall. Slack spreads events across up to 10 open connections,
so a few replicas are fine too; the outbox claims keep delivery safe.

``/healthz`` and ``/metrics`` are still served on ``PORT`` by a small stdlib server, and
``/email/resolution`` (a proposal answered from its mail: its own signed token). It serves
nothing else: in Socket Mode requests are not signed (the WebSocket is the
authentication), so ``/slack/events`` must not be reachable over HTTP."""

from __future__ import annotations

import json
import logging
import signal
import threading
from collections.abc import Callable, Iterable
from typing import Any
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.settings import Environment
from sla_core.config import AppConfig

log = logging.getLogger("astreinte.socket_mode")

StartResponse = Callable[..., Any]


def health_only_wsgi(runtime: Any, status: Any | None = None) -> Callable[[dict[str, Any], StartResponse],
                                                                          Iterable[bytes]]:
    """``/healthz``, ``/metrics``, the resolution page and, when given, the status page's routes."""
    pages: dict[str, Any] = {}  # the resolution page, built at its first request

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if status is not None and status.handles(path):
            return status(environ, start_response)  # type: ignore[no-any-return]
        if path == "/email/resolution":
            if "resolution" not in pages:
                from bot.mail.outgoing_page import ResolutionPage

                pages["resolution"] = ResolutionPage(runtime.ctx)
            return pages["resolution"](environ, start_response)  # type: ignore[no-any-return]
        if path == "/healthz":
            healthy, detail = runtime.health()
            body = json.dumps({"status": "ok" if healthy else "degraded", "mode": "socket", **detail},
                              default=str).encode()
            start_response("200 OK" if healthy else "503 Service Unavailable",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if path == "/metrics":
            body = runtime.metrics_text().encode()
            start_response("200 OK", [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"not found"]

    return app


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a stuck probe must not block shutdown


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass  # probes every few seconds are not news


def run_socket_mode(env: Environment, config: AppConfig, *, host: str, port: int) -> int:
    """Blocks until SIGTERM/SIGINT; then closes the WebSocket and stops the runtime. Slack
    unreachable or a token refused is one line naming the variable (exit 2), before
    anything starts."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import build_app
    from bot.people_lookup import schedule_people_lookup
    from bot.runtime import Runtime, SlackUnreachable, build_context, check_app_token, check_slack_token
    from bot.slack_client import close_client

    assert env.app_token is not None
    ctx = build_context(env, config)
    try:
        check_slack_token(env, ctx.client)
        check_app_token(env)
    except BaseException:
        ctx.engine.dispose()
        close_client(ctx.client)
        raise
    app = build_app(ctx, signing_secret=None, socket_mode=True)
    runtime = Runtime(ctx)
    schedule_people_lookup(runtime)  # people given by e-mail: their Slack user, kept current
    from bot.gunicorn_app import freeze_what_lives_forever, status_routes

    server = make_server(host, port, health_only_wsgi(runtime, status_routes(ctx, config)),
                         server_class=ThreadingWSGIServer, handler_class=_QuietHandler)
    health_thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                     name="healthz", daemon=True)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    handler = SocketModeHandler(app, env.app_token)
    health_thread.start()
    runtime.start()
    freeze_what_lives_forever()  # as a gunicorn worker does once built
    try:
        try:
            handler.connect()
        except OSError as exc:  # Slack went away between the checks and the WebSocket
            raise SlackUnreachable(env, ctx.client.base_url, exc, checking="SLACK_APP_TOKEN") from None
        log.info("socket mode connected; health on %s:%s", host, port)
        stop.wait()
    finally:
        log.info("stopping")
        handler.close()
        runtime.stop()
        server.shutdown()
        server.server_close()
    return 0
