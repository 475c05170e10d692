"""``astreinte serve`` as a real subprocess (gunicorn and all) against FaultySlack.

``ServedBot`` starts ``python -m bot.cli serve`` on a free loopback port with the
environment production reads (SLACK_* pointing the Web API at the fake, DATABASE_URL at a
migrated SQLite file in tmp_path) and waits for ``/healthz``; stopping it sends SIGTERM,
as a container runtime does."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError

import pytest

from tests.doubles.faulty_slack import FaultySlack
from sla_core.persistence.migrate import upgrade_database

REPO = Path(__file__).resolve().parents[2]
SECRET = "serve-signing-secret"
BOOT_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def astreinte(*args: str, env: Mapping[str, str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run the command line to completion, as a user would from a shell."""
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=REPO, env=dict(env), capture_output=True,
                          text=True, timeout=timeout, check=False)


def base_environ(home: Path) -> dict[str, str]:
    """A clean environment: nothing from the developer's shell but PATH."""
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PYTHONPATH": str(REPO),
            "XDG_DATA_HOME": str(home / "data"), "LANG": "C.UTF-8"}


def http_get(url: str, timeout: float = 5.0) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            raw, status, ctype = answer.read(), answer.status, answer.headers.get("Content-Type", "")
    except HTTPError as error:
        with error:
            raw, status, ctype = error.read(), error.code, error.headers.get("Content-Type", "")
    text = raw.decode()
    return status, json.loads(text) if "json" in ctype else text


@dataclass
class ServedBot:
    process: subprocess.Popen[str]
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self, timeout: float = BOOT_TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                status, body = http_get(self.url + "/healthz", timeout=1)
                if status == 200:
                    return body  # type: ignore[no-any-return]
                last = body
            except (URLError, ConnectionError, TimeoutError) as exc:
                last = exc
            time.sleep(0.05)
        raise AssertionError(f"/healthz not 200 after {timeout}s (last: {last}):\n{self.log()}")

    def terminate(self, timeout: float = 10.0) -> float:
        """SIGTERM; returns how long the server took to exit."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"serve ignored SIGTERM for {timeout}s:\n{self.log()}") from None
        return time.monotonic() - started


def start_served_bot(env: Mapping[str, str], tmp: Path, *, workers: int = 2) -> ServedBot:
    port = free_port()
    log_path = tmp / f"serve-{port}.log"
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--host", "127.0.0.1",
             "--workers", str(workers)],
            cwd=REPO, env=dict(env), stdout=log_file, stderr=subprocess.STDOUT, text=True)
    return ServedBot(process=process, url=f"http://127.0.0.1:{port}", log_path=log_path)


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FaultySlack]:
    with FaultySlack() as slack:
        yield slack


def make_serve_env(tmp: Path, slack: FaultySlack) -> dict[str, str]:
    """What an operator exports, on a database already upgraded (``astreinte db upgrade``)."""
    url = f"sqlite+pysqlite:///{tmp / 'astreinte.sqlite3'}"
    upgrade_database(url)
    return {**base_environ(tmp), "SLACK_BOT_TOKEN": "xoxb-serve-test", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url, "DATABASE_URL": url}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, fake_slack: FaultySlack) -> Iterator[ServedBot]:
    """One server for a module's tests (booting gunicorn costs about a second)."""
    tmp = tmp_path_factory.mktemp("served")
    bot = start_served_bot(make_serve_env(tmp, fake_slack), tmp)
    try:
        bot.wait_healthy()
        yield bot
    finally:
        bot.terminate()
