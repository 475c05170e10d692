"""Serve a WSGI app on 127.0.0.1:<free port> for the duration of a `with` block.

`App.start()` binds 0.0.0.0 and serves one request at a time; our tests need loopback
only, and concurrency, because a Bolt listener runs after `ack()` and may call back
into the fake Slack while the next request arrives. wsgiref's server with a threading
mix-in is enough and needs nothing beyond the standard library.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import WSGIApplication


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per request; daemon threads so a stuck request cannot block exit."""

    daemon_threads = True


class QuietWSGIRequestHandler(WSGIRequestHandler):
    """No access log on stderr: test output should show failures, not traffic."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_wsgi(app: WSGIApplication) -> Iterator[str]:
    """Yield the base URL ("http://127.0.0.1:PORT", no trailing slash) serving `app`."""
    server = make_server(
        "127.0.0.1", 0, app, server_class=ThreadingWSGIServer, handler_class=QuietWSGIRequestHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="wsgi-loopback", daemon=True
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
