"""``astreinte status export DIR`` and the tick's re-export: the same pages as static
files, in both languages, with links that work from the folder; rewritten by the tick only
when what they show changed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
import yaml

from bot.cli import main
from sla_core.availability.model import Cause
from sla_core.availability.outages import start_outage
from tests.conftest import REPO
from tests.status.conftest import SECRETS
from tests.tickets.conftest import AGENT, T0

FILES = {"index.html", "status.json", "feed.atom", ".fingerprint",
         *(f"{lang}/{name}" for lang in ("en", "fr") for name in ("index.html", "status.json", "feed.atom"))}


def written(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def config_with(tmp_path: Path, **status: str) -> Path:
    data = yaml.safe_load((REPO / "app.yaml").read_text(encoding="utf-8"))
    data["status"] = status
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_export_writes_every_page_in_both_languages(desk, database_url, tmp_path, capsys):
    folder = tmp_path / "site"
    assert main(["status", "export", str(folder), "--database", database_url,
                 "--now", (T0 + timedelta(hours=2)).isoformat()]) == 0
    assert written(folder) == FILES
    assert "status page (operational) exported" in capsys.readouterr().out
    root, french = (folder / "index.html").read_text(), (folder / "fr" / "index.html").read_text()
    assert '<html lang="fr">' in root and root == french.replace('href="../en/index.html"', 'href="en/index.html"')
    english = (folder / "en" / "index.html").read_text()
    assert '<html lang="en">' in english and 'href="../fr/index.html"' in english and 'href="feed.atom"' in english
    assert json.loads((folder / "en" / "status.json").read_text())["state"]["code"] == "operational"
    feed = feedparser.parse((folder / "fr" / "feed.atom").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == ["Maintenance planifiée : api", "Interruption : api"]
    for path in FILES:
        for secret in SECRETS:
            assert secret not in (folder / path).read_text()


def test_export_into_a_file_is_refused_with_what_to_fix(database_url, tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("")
    assert main(["status", "export", str(target), "--database", database_url]) == 2
    assert capsys.readouterr().err.strip() == (f"astreinte: DIR: {target} is a file, not a folder: "
                                               "give a folder to write the pages into")


def test_the_tick_re_exports_only_when_the_page_changed(desk, database_url, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "site"
    monkeypatch.setenv("DATABASE_URL", database_url)
    config = str(config_with(tmp_path, export_dir=str(folder), title="ACME status"))
    now = T0 + timedelta(days=1)  # the day after the interruption: today is quiet

    def tick(at) -> None:  # type: ignore[no-untyped-def]
        assert main(["tick", "--no-deliver", "--config", config, "--now", at.isoformat()]) == 0

    tick(now)
    assert written(folder) == FILES
    stamp = {p: (folder / p).stat().st_mtime_ns for p in FILES}
    tick(now + timedelta(minutes=5))  # nothing shown changed: nothing rewritten
    assert {p: (folder / p).stat().st_mtime_ns for p in FILES} == stamp
    later = now + timedelta(minutes=10)
    start_outage(desk.uow, support=desk.support, actor_id=AGENT, service="api", cause=Cause.VENDOR,
                 started_at=later, now=later)
    tick(later)
    doc = json.loads((folder / "en" / "status.json").read_text())
    assert doc["state"]["code"] == "interrupted" and doc["title"] == "ACME status"
    assert (folder / "fr" / "index.html").stat().st_mtime_ns != stamp["fr/index.html"]
    capsys.readouterr()


@pytest.mark.parametrize(("status", "problem"), [
    ({"export_dir": ""}, "status.export_dir: '' is not a directory path"),
    ({"public_url": "status.example.com"}, 'status.public_url: "status.example.com" is not an http(s) URL'),
    ({"tittle": "x"}, 'status.tittle: unknown key; did you mean "title"?'),
])
def test_check_config_names_a_wrong_status_setting(tmp_path, capsys, status, problem):
    assert main(["check-config", str(config_with(tmp_path, **status))]) == 2
    assert problem in capsys.readouterr().err


def test_an_interruption_recorded_degraded_shows_degraded_and_counts_no_downtime(database_url, tmp_path, capsys):
    assert main(["outage", "start", "--service", "search", "--cause", "vendor", "--degraded",
                 "--database", database_url]) == 0
    folder = tmp_path / "site"
    assert main(["status", "export", str(folder), "--database", database_url]) == 0
    doc = json.loads((folder / "en" / "status.json").read_text())
    assert doc["state"] == {"code": "degraded", "label": "Degraded service"}
    assert doc["current"][0]["degraded"] is True and doc["current"][0]["counted"] is False
    assert doc["availability"]["downtime_seconds"] == 0
    capsys.readouterr()
