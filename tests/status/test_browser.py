"""The status page as a browser shows it: headless Chromium opens it over HTTP in both
languages, takes a screenshot, reports no console error, and its DOM states the service's
state in words. Skipped without Chromium, except in CI (``tests/availability/conftest.py``)."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest

from sla_core.availability.model import Cause
from sla_core.availability.outages import start_outage
from tests.availability.conftest import chromium  # noqa: F401 - the fixture
from tests.tickets.conftest import AGENT, T0

BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-dev-shm-usage", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def browse(chromium: str, url: str, profile: str, *extra: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, url],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def console_messages(stderr: str) -> list[str]:
    """What the page logged to its console, as Chromium reports it with --enable-logging."""
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.mark.parametrize(("lang", "state"), [("en", "Service interrupted"), ("fr", "Service interrompu")])
def test_the_page_opens_in_chromium_without_errors_and_says_the_state(served, desk, chromium, tmp_path, lang,  # noqa: F811
                                                                      state):
    url, _ = served
    desk.now = T0 + timedelta(hours=3)
    start_outage(desk.uow, support=desk.support, actor_id=AGENT, service="api", cause=Cause.VENDOR,
                 started_at=desk.now - timedelta(minutes=5), now=desk.now)
    page = f"{url}/status?lang={lang}"
    shot = tmp_path / f"status-{lang}.png"
    shown = browse(chromium, page, str(tmp_path / "profile"), "--window-size=1000,1800", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert console_messages(shown.stderr) == []
    dom = browse(chromium, page, str(tmp_path / "profile"), "--dump-dom")
    assert console_messages(dom.stderr) == []
    html = dom.stdout
    assert f'<html lang="{lang}">' in html
    assert re.search(rf'<p class="state state-interrupted" id="state" data-state="interrupted">{state}</p>', html)
    assert html.count('class="sr-only"') == 90 and "<script" not in html


def test_the_console_check_sees_what_a_broken_page_logs(chromium, tmp_path):  # noqa: F811
    broken = tmp_path / "broken.html"
    broken.write_text('<html><body><script>console.error("boom"); missing();</script></body></html>')
    logged = console_messages(browse(chromium, broken.as_uri(), str(tmp_path / "profile"), "--dump-dom").stderr)
    assert len(logged) == 2 and '"boom"' in logged[0] and "Uncaught ReferenceError" in logged[1]
