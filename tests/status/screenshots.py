"""The status page screenshots of ``docs/status.md``: a sample desk (an interruption going
on, one past with published updates, a degraded day, maintenance past and to come) in
English and French, photographed by headless Chromium.

    python -m tests.status.screenshots docs/img   # writes status-en.png, status-fr.png
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.status_pages.documents import Links, html
from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.model import Cause, MaintenanceView, OutageView
from sla_core.config.status_section import StatusSettings
from sla_core.status import PublishedUpdate, StatusPage, build_status

CHROMIUM = "/usr/bin/chromium"
PARIS = ZoneInfo("Europe/Paris")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def sample() -> StatusPage:
    def outage(id: int, start: datetime, end: datetime | None, service: str = "api", **more: object) -> OutageView:
        return OutageView(id=id, service=service, cause=Cause.VENDOR, started_at=start, ended_at=end,
                          ticket_ref=more.pop("ticket", None), note="", recorded_by="U", **more)  # type: ignore[arg-type]

    def window(id: int, start: datetime, end: datetime, reason: str) -> MaintenanceView:
        return MaintenanceView(id=id, service="api", starts_at=start, ends_at=end, critical_fixes=False,
                               reason=reason, scheduled_by="U", notified_at=None, cancelled_at=None)

    outages = [outage(1, at(2026, 11, 20, 10, 0), at(2026, 11, 20, 12, 30), ticket="INC-2026-000123"),
               outage(2, at(2026, 10, 2, 14, 0), at(2026, 10, 2, 16, 40), service="search", degraded=True),
               outage(3, at(2026, 12, 3, 11, 40), None, service="login")]
    windows = [window(4, at(2026, 11, 7, 22, 0), at(2026, 11, 8, 0, 30), "database upgrade"),
               window(5, at(2026, 12, 12, 22, 0), at(2026, 12, 12, 23, 0), "kernel update")]
    updates = {"INC-2026-000123": [
        PublishedUpdate(at=at(2026, 11, 20, 10, 30), text="We found the cause: a full disk on a database server."),
        PublishedUpdate(at=at(2026, 11, 20, 12, 30), text="Space freed; the service is back. We are watching it.")]}
    return build_status(outages, windows, updates=updates, settings=AvailabilitySettings(), timezone=PARIS,
                        now=at(2026, 12, 3, 12, 0))


def main(target: Path) -> None:
    page = sample()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for lang in ("en", "fr"):
            source = work / f"status-{lang}.html"
            source.write_text(html(page, lang=lang, settings=StatusSettings(), links=Links.live(lang)),
                              encoding="utf-8")
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
                            f"--user-data-dir={work / 'profile'}", "--window-size=960,1480",
                            f"--screenshot={target / f'status-{lang}.png'}", source.as_uri()],
                           check=True, capture_output=True, timeout=120)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
