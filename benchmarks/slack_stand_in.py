"""A Slack Web API stand-in for benchmarks: answers like Slack, records nothing.

The tests' ``FakeSlack`` records every call and deep-copies every view so the tests can
assert on them; on the benchmark's machine that costs about 2 ms of CPU per ``views.open``
(measured: more than twice what our own side of the call costs), on the very cores the two
apps are measured on. Slack's servers are not on our cores at all, so the benchmark answers
from this instead: one asyncio process, HTTP/1.1 parsed by hand (we deliberately do not
use ``http.server``, whose per-request thread and header parsing are what is being
avoided), Slack's answer shapes (``views.*`` echo the view with an id, ``chat.*`` a
channel and ts, anything else ``ok``). ``GET /opened`` returns (and forgets) when each
trigger_id's ``views.open`` arrived, as Unix time: the benchmark's modal latency.

    python benchmarks/slack_stand_in.py   # prints its base URL (…/api/), serves until stdin closes"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import threading
import time
from typing import Any

VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")
CHAT_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral")


class SlackStandIn:
    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.opened: dict[str, float] = {}

    def answer(self, path: str, body: bytes) -> dict[str, Any]:
        method = path.rsplit("/", 1)[-1]
        params: dict[str, Any] = {}
        if body.startswith(b"{"):
            params = json.loads(body)
        if method in ("views.open", "views.push"):
            self.opened[str(params.get("trigger_id"))] = time.time()
        if method in VIEW_METHODS:
            view = params.get("view") or {}
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {**view, "id": f"V{next(self._ids):010d}"}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "0")).split(",")[0][1:]}}
        if method == "conversations.history" or method == "conversations.replies":
            return {"ok": True, "messages": [], "has_more": False}
        if method == "chat.getPermalink":
            return {"ok": True, "permalink": "https://example.slack.com/archives/C0/p1"}
        if method in CHAT_METHODS:
            return {"ok": True, "channel": params.get("channel", ""), "ts": f"1700000000.{next(self._ids):06d}"}
        return {"ok": True}

    async def serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, path, _ = request_line.split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines if h)}
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                if method == "GET" and path == "/opened":
                    payload = json.dumps(self.opened).encode()
                    self.opened = {}
                else:
                    payload = json.dumps(self.answer(path, body)).encode()
                close = headers.get("connection", "").lower() == "close"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                             b"Content-Length: %d\r\n%s\r\n" % (len(payload), b"Connection: close\r\n" if close else b"")
                             + payload)
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client hung up: nothing is owed
        except asyncio.CancelledError:
            return  # shutting down with a connection still open
        finally:
            writer.close()


async def _main() -> None:
    stand_in = SlackStandIn()
    server = await asyncio.start_server(stand_in.serve_connection, "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}/api/", flush=True)
    closed = asyncio.Event()
    loop = asyncio.get_running_loop()
    # stdin closing is the signal to stop (the benchmark owns this process)
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(closed.set)), daemon=True).start()
    async with server:
        await closed.wait()


if __name__ == "__main__":
    asyncio.run(_main())
