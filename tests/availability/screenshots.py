"""The report screenshots of ``docs/reports.md``: the test month (``month.py``) rendered as
HTML in English and French, photographed by headless Chromium.

    python -m tests.availability.screenshots docs/img   # writes report-en.png, report-fr.png

Then, to keep each image small, its colours are reduced by ``pngquant`` (Debian package
``pngquant``) when it is installed; the pages are mostly flat colour, so nothing shows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sla_core.availability import availability_config_from_mapping
from sla_core.persistence.migrate import ensure_database
from sla_core.persistence.uow import UnitOfWork
from sla_core.config import load_config
from sla_core.reports import Month, build_month_report, to_html
from sla_core.tickets import support_from_mapping
from tests.availability.conftest import CUSTOMER_EMAILS
from tests.availability.month import AS_OF, build_month
from tests.tickets.conftest import SUPPORT_RAW

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
WINDOW = "1040,3080"  # the whole page at its natural width


def main(target: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        uow = UnitOfWork(ensure_database(f"sqlite+pysqlite:///{work / 'month.sqlite3'}", auto_upgrade=True))
        accounts = [dict(a) for a in SUPPORT_RAW["accounts"]]  # type: ignore[union-attr]
        accounts[0]["contact_email"] = CUSTOMER_EMAILS[0]
        config = availability_config_from_mapping({"support": {"accounts": accounts}})
        policy = load_config(REPO / "app.yaml").policy
        build_month(uow, policy, support_from_mapping(SUPPORT_RAW), config)
        report = build_month_report(uow, policy=policy, config=config, month=Month(year=2026, month=11), now=AS_OF)
        uow.engine.dispose()
        for lang in ("en", "fr"):
            page = work / f"report-{lang}.html"
            page.write_text(to_html(report, lang=lang), encoding="utf-8")
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
                            f"--user-data-dir={work / 'profile'}", f"--window-size={WINDOW}",
                            f"--screenshot={target / f'report-{lang}.png'}", page.as_uri()],
                           check=True, capture_output=True, timeout=120)
            if shutil.which("pngquant"):
                subprocess.run(["pngquant", "--force", "--skip-if-larger", "--ext", ".png", "64",
                                str(target / f"report-{lang}.png")], check=True, timeout=120)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
