"""The status page under load on loopback: requests a second with the in-process cache
and without it, and the database queries each request costs.

    .venv/bin/python benchmarks/status_page.py [--seconds 5] [--database URL]

The server is gunicorn (gthread: 2 workers × 2 threads, keep-alive) serving the real
status routes (``bot/status_pages``) over a database holding 90 days of interruptions and
maintenance windows (a SQLite file by default; ``--database`` for PostgreSQL). The client
is 2 processes × 4 threads of keep-alive ``http.client`` connections asking for
``/status?lang=fr`` as fast as they can, on the same 2-core machine: the figure is the
loopback pair's, the server's share of it smaller. Three server settings:

- cached: the production setting (a version query at most every 2 s, a rebuild at most
  every 60 s or when the data change);
- version check each request: the cheap query on every request, the page still cached;
- no cache: every request reads the data and renders the page.

Queries per request are counted in-process (SQLAlchemy's ``before_cursor_execute``) over
the same routes (2,000 requests, or as many as 5 s allow)."""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from bot.status_pages.cache import StatusCache  # noqa: E402
from bot.status_pages.wsgi import StatusRoutes  # noqa: E402
from sla_core.config import load_config  # noqa: E402
from sla_core.availability.models import MaintenanceRow, OutageRow  # noqa: E402
from sla_core.persistence.engine import make_engine, statement_sources  # noqa: E402
from sla_core.persistence.migrate import ensure_database  # noqa: E402
from sla_core.persistence.uow import UnitOfWork  # noqa: E402

NOW = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
SETTINGS = {"cached": {"check_every": 2.0, "max_age": 60.0},
            "version check each request": {"check_every": 0.0, "max_age": 60.0},
            "no cache": {"check_every": 0.0, "max_age": 0.0}}


def fill(url: str) -> None:
    engine = ensure_database(url, auto_upgrade=True)
    with UnitOfWork(engine) as uow:
        for day in range(0, 90, 3):  # an interruption every third day, 20 minutes
            start = NOW - timedelta(days=day, hours=5)
            uow.session.add(OutageRow(service="api", cause="vendor", started_at=start,
                                      ended_at=start + timedelta(minutes=20), ticket_ref=None, note="",
                                      recorded_by="UBENCH", created_at=start, degraded=day % 2 == 0))
        for week in range(-4, 8, 2):
            start = NOW + timedelta(weeks=week, hours=10)
            uow.session.add(MaintenanceRow(service="api", starts_at=start, ends_at=start + timedelta(hours=1),
                                           critical_fixes=False, reason="upgrade", scheduled_by="UBENCH",
                                           created_at=start - timedelta(days=10)))
        uow.commit()
    engine.dispose()


def routes(url: str, tuning: dict[str, float]) -> tuple[StatusRoutes, Any]:
    config = load_config()
    engine = make_engine(url)
    cache = StatusCache(engine=engine, settings=config.availability, timezone=config.policy.timezone,
                        status=config.status, clock=lambda: NOW, **tuning)
    return StatusRoutes(cache, default_language="fr"), engine


def serve(url: str, tuning: dict[str, float], port: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {"bind": [f"127.0.0.1:{port}"], "workers": 2, "worker_class": "gthread",
                               "threads": 2, "keepalive": 30, "loglevel": "warning", "accesslog": None}.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self) -> Any:
            app, _ = routes(url, tuning)
            return app

    Server().run()


REQUEST = b"GET /status?lang=fr HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: fr\r\n\r\n"


def read_response(sock: socket.socket, pending: bytes) -> bytes:
    """One response off a keep-alive connection (headers, then Content-Length bytes); the
    bytes read past it are returned. A bare socket client: http.client's own cost per
    request would be most of what this measures."""
    while b"\r\n\r\n" not in pending:
        pending += sock.recv(65536)
    head, _, rest = pending.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.split(b"\r\n")[0].decode())
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(rest) < length:
        rest += sock.recv(65536)
    return rest[length:]


def client(port: int, seconds: float, threads: int, counts: Any) -> None:
    done = [0] * threads

    def loop(slot: int) -> None:
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        pending = b""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            sock.sendall(REQUEST)
            pending = read_response(sock, pending)
            done[slot] += 1
        sock.close()
    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    counts.put(sum(done))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(port: int) -> None:
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/status")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


def requests_per_second(url: str, tuning: dict[str, float], seconds: float) -> float:
    port = free_port()
    server = multiprocessing.Process(target=serve, args=(url, tuning, port), daemon=True)
    server.start()
    try:
        wait_up(port)
        counts: Any = multiprocessing.Queue()
        clients = [multiprocessing.Process(target=client, args=(port, seconds, 4, counts)) for _ in range(2)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        return sum(counts.get() for _ in clients) / seconds
    finally:
        server.terminate()
        server.join()


def in_process(url: str, tuning: dict[str, float], requests: int = 2000) -> tuple[float, float]:
    """(SELECTs per request, µs of one process's CPU per request) calling the routes
    directly, without HTTP."""
    app, engine = routes(url, tuning)
    statements: list[str] = []
    for source in statement_sources(engine):  # the single-statement reads' pool too
        event.listen(source, "before_cursor_execute", lambda *a: statements.append(a[2]))
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/status", "QUERY_STRING": "lang=fr"}
    app(dict(environ), lambda *a: None)  # the first build is not what a request costs
    statements.clear()
    started, deadline, done = time.process_time(), time.monotonic() + 5.0, 0
    while done < requests and time.monotonic() < deadline:  # the uncached case: a few seconds' worth
        app(dict(environ), lambda *a: None)
        done += 1
    cpu = time.process_time() - started
    requests = done
    engine.dispose()
    selects = sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))
    return selects / requests, cpu / requests * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--database", help="a database URL (default: a SQLite file in a scratch folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database or f"sqlite+pysqlite:///{Path(scratch) / 'status.sqlite3'}"
        fill(url)
        print(f"{'server setting':<28} {'HTTP requests/s':>15} {'SELECTs/request':>16} {'CPU µs/request':>15}")
        for name, tuning in SETTINGS.items():
            rate = requests_per_second(url, tuning, args.seconds)
            queries, cpu = in_process(url, tuning)
            print(f"{name:<28} {rate:>15,.0f} {queries:>16.3f} {cpu:>15,.0f}")


if __name__ == "__main__":
    main()
