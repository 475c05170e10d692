"""slack_sdk's ``WebClient`` on kept-alive connections.

slack_sdk's synchronous client opens a new connection for every call (``urllib.request
.urlopen``), and over HTTPS that is a new TLS context and a full handshake each time:
3.4 ms of CPU per ``views.open`` against 1.1 ms on a kept-alive connection (measured on
loopback, ``benchmarks/web_api.py``), plus two round trips to Slack before the request
even leaves. Every modal the bot opens
and every message the sender posts paid that. The SDK offers no transport option (its
async client takes an aiohttp session; the sync one does not), so this subclass replaces
the one method that performs the HTTP exchange and keeps everything else of the SDK:
request building, retry handlers, ``SlackResponse``, errors.

We deliberately do not bring in urllib3 or httpx for this: ``http.client`` already keeps a
connection open; what is added here is only which connection to reuse and when not to:
- one connection per thread and host (the client is shared by threads; a connection is not);
- dropped before reuse when idle longer than ``idle_timeout`` (well under the idle timeouts
  servers and load balancers apply) or when the server has closed it meanwhile;
- never replayed after a failure: a request whose answer was lost may have been performed
  (a post could land twice), and the caller decides, as with a fresh connection.
Redirects and proxies, which slack_sdk leaves to urllib, still go through urllib."""

from __future__ import annotations

import http.client
import io
import select
import ssl
import threading
import time
import weakref
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient

IDLE_TIMEOUT_SECONDS = 30.0
REDIRECTS = (301, 302, 303, 307, 308)
Connection = http.client.HTTPConnection


class KeptAliveWebClient(WebClient):
    def __init__(self, *args: Any, idle_timeout: float = IDLE_TIMEOUT_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle_timeout = idle_timeout
        self._local = threading.local()
        self._tls: ssl.SSLContext | None = None
        # Every connection, whichever thread holds it, so that close() (and the client being
        # garbage-collected) closes them all: a thread-local alone would leak sockets.
        self._every: set[Connection] = set()
        self._lock = threading.Lock()
        weakref.finalize(self, _close_all, self._every, self._lock)

    def close(self) -> None:
        """Close every kept-alive connection (at shutdown); the next call opens a new one."""
        _close_all(self._every, self._lock)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        target = urlsplit(url)
        if self.proxy is not None or target.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)  # type: ignore[no-any-return]
        key = (target.scheme, target.netloc)
        connection = self._reusable(key) or self._open(target.scheme, target.hostname or "", target.port)
        path = target.path + (f"?{target.query}" if target.query else "")
        try:
            try:
                connection.request(req.get_method(), path, body=req.data, headers=dict(req.header_items()))
            except OSError as error:
                raise URLError(error) from error  # as urlopen does for a request that could not be sent
            response = connection.getresponse()
            body = response.read()
        except BaseException:
            self._drop(connection)  # whatever state it is in, it carries nothing more
            raise
        if response.will_close:
            self._drop(connection)
        else:
            self._connections()[key] = (connection, time.monotonic())
        if response.status in REDIRECTS:
            return super()._perform_urllib_http_request_internal(url, req)  # type: ignore[no-any-return]
        if not 200 <= response.status < 300:
            # What urlopen raises, which slack_sdk's retry handlers and errors expect.
            raise HTTPError(url, response.status, response.reason, response.headers, io.BytesIO(body))
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": body}
        charset = response.headers.get_content_charset() or "utf-8"
        return {"status": response.status, "headers": response.headers, "body": body.decode(charset)}

    # --- which connection -------------------------------------------------------------
    def _connections(self) -> dict[tuple[str, str], tuple[Connection, float]]:
        connections: dict[tuple[str, str], tuple[Connection, float]] | None = getattr(self._local, "connections", None)
        if connections is None:
            connections = self._local.connections = {}
        return connections

    def _reusable(self, key: tuple[str, str]) -> Connection | None:
        """This thread's idle connection to the host, if it can still carry a request."""
        held = self._connections().pop(key, None)
        if held is None:
            return None
        connection, idle_since = held
        if time.monotonic() - idle_since > self._idle_timeout or _closed_by_peer(connection):
            self._drop(connection)
            return None
        return connection

    def _open(self, scheme: str, host: str, port: int | None) -> Connection:
        connection = (http.client.HTTPSConnection(host, port, timeout=self.timeout, context=self._tls_context())
                      if scheme == "https" else http.client.HTTPConnection(host, port, timeout=self.timeout))
        with self._lock:
            self._every.add(connection)
        return connection

    def _drop(self, connection: Connection) -> None:
        connection.close()
        with self._lock:
            self._every.discard(connection)

    def _tls_context(self) -> ssl.SSLContext:
        """The client's own context if given, else the default one, built once (loading the
        system's CA store costs ~0.6 ms; urllib builds one per connection)."""
        if self.ssl is not None:
            return self.ssl  # type: ignore[no-any-return]
        if self._tls is None:
            self._tls = ssl.create_default_context()
        return self._tls


def _close_all(connections: set[Connection], lock: threading.Lock) -> None:
    with lock:
        closing = list(connections)
        connections.clear()
    for connection in closing:
        connection.close()


def _closed_by_peer(connection: Connection) -> bool:
    """An idle connection the server has closed (or written to unasked) reads as ready."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
