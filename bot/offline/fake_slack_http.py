"""The HTTP side of `FakeSlack`: decoding requests as slack_sdk encodes them, and answering.

A Web API call reaches Slack as POST /api/<method> with parameters in the query string,
a form, a multipart form (file uploads) or a JSON body, and the token either in
`Authorization: Bearer …` or as a `token` parameter. This module turns all of those into
one `IncomingCall`, and writes answers while tolerating clients that already hung up
(a client timing out on a slow answer is a scenario we provoke on purpose).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

JsonDict = dict[str, Any]
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout)


@dataclass(frozen=True, kw_only=True)
class IncomingCall:
    path: str
    params: JsonDict
    token: str | None


class CallDispatcher(Protocol):
    def dispatch(self, call: IncomingCall, responder: Responder) -> None: ...


class Responder:
    """Writes one answer, or deliberately none, on the connection of one request."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self._handler = handler

    def send_json(self, body: JsonDict, *, status: int = 200, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode("utf-8")
        try:
            self._handler.send_response(status)
            self._handler.send_header("Content-Type", "application/json; charset=utf-8")
            self._handler.send_header("Content-Length", str(len(raw)))
            for name, value in (headers or {}).items():
                self._handler.send_header(name, value)
            self._handler.end_headers()
            self._handler.wfile.write(raw)
        except CLIENT_GONE:
            self._handler.close_connection = True

    def hang_up(self) -> None:
        """Close the connection without a status line: the client sees a disconnect."""
        self._handler.close_connection = True
        try:
            self._handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class FakeSlackServer(ThreadingHTTPServer):
    daemon_threads = True
    dispatcher: CallDispatcher

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.connections_accepted = 0

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about hung-up clients (part of the scenarios), loud about bugs."""
        if not isinstance(sys.exc_info()[1], CLIENT_GONE):
            super().handle_error(request, client_address)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
            self.connections_accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_idle_connections(self) -> None:
        """Close every kept-alive connection, as a server does when it stops or when
        connections have idled past its timeout: clients must notice and open new ones."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def server_close(self) -> None:
        super().server_close()
        self.close_idle_connections()


class _WebApiRequestHandler(BaseHTTPRequestHandler):
    server: FakeSlackServer
    protocol_version = "HTTP/1.1"  # as Slack: connections are kept alive between calls
    # The status line and headers go out in one write, the body in another: with Nagle's
    # algorithm on, the body would wait for the client's delayed ACK (40 ms) on every call
    # of a kept-alive connection. Servers that keep connections alive turn it off.
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        self.server.dispatcher.dispatch(self._read_call(), Responder(self))

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        """Tests read recorded calls, not access logs."""

    def _read_call(self) -> IncomingCall:
        url = urlsplit(self.path)
        params: JsonDict = dict(parse_qsl(url.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        params.update(decode_body(self.headers.get("Content-Type", ""), raw))
        token = None
        authorization = self.headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            token = authorization.removeprefix("Bearer ").strip()
        elif isinstance(params.get("token"), str):
            token = params["token"]
        return IncomingCall(path=url.path, params=params, token=token)


def decode_body(content_type: str, raw: bytes) -> JsonDict:
    """Parameters from a JSON, form or multipart body; anything else carries none."""
    if not raw:
        return {}
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        decoded = json.loads(raw.decode("utf-8"))
        return decoded if isinstance(decoded, dict) else {}
    if media_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    if media_type == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + raw)
        fields: JsonDict = {}
        parts = message.get_payload()
        for part in parts if isinstance(parts, list) else []:
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                is_file = part.get_filename() is not None
                fields[name] = payload if is_file else payload.decode("utf-8")
        return fields
    return {}


def start_server(dispatcher: CallDispatcher) -> FakeSlackServer:
    """Bind 127.0.0.1 on a free port; the caller runs `serve_forever` in a thread."""
    server = FakeSlackServer(("127.0.0.1", 0), _WebApiRequestHandler)
    server.dispatcher = dispatcher
    return server
