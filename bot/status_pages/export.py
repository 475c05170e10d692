"""The status page as static files, for any web host or CDN: the page must stay up when
the service is down. Layout (``DIR``)::

    index.html, status.json, feed.atom       the desk's default language
    en/index.html, en/status.json, en/feed.atom
    fr/index.html, fr/status.json, fr/feed.atom

Links between them are relative (``../fr/index.html``), so the folder can be served from
any path. Each file is replaced atomically (written beside it, then renamed), so a web
server never serves half a page; a file whose bytes did not change is not rewritten.

``export_if_changed`` is what the tick calls: it builds the page, compares its facts
(the JSON without the instant it was generated) with those of the last export, recorded
in ``DIR/.fingerprint``, and writes only when they differ."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from bot.status_pages import documents
from bot.status_pages.documents import Links
from messages import LANGUAGES
from sla_core.config.status_section import StatusSettings
from sla_core.status import StatusPage

FINGERPRINT = ".fingerprint"


def files_of(page: StatusPage, *, settings: StatusSettings, default_language: str) -> dict[str, bytes]:
    """Every file of the export, by its path relative to the folder."""
    out: dict[str, bytes] = {}
    for lang in LANGUAGES:
        links = Links.static(lang)
        out[f"{lang}/index.html"] = documents.html(page, lang=lang, settings=settings, links=links).encode()
        out[f"{lang}/status.json"] = documents.as_json(page, lang=lang, settings=settings).encode()
        out[f"{lang}/feed.atom"] = documents.atom(page, lang=lang, settings=settings, links=links).encode()
    root = Links(page="index.html", other=f"{_other(default_language)}/index.html", feed="feed.atom",
                 json="status.json")
    out["index.html"] = documents.html(page, lang=default_language, settings=settings, links=root).encode()
    out["status.json"] = out[f"{default_language}/status.json"]
    out["feed.atom"] = documents.atom(page, lang=default_language, settings=settings, links=root).encode()
    return out


def _other(lang: str) -> str:
    return next(other for other in LANGUAGES if other != lang)


def fingerprint(page: StatusPage, *, settings: StatusSettings) -> str:
    """The page's facts as it shows them, without the instant it was built: equal when
    nothing shown changed. Figures are taken at the precision the page writes them
    (a percentage to two decimals, durations to the minute), and today's growing length
    is left out, so that a quiet day is not re-exported every tick."""
    facts = documents.document(page, lang=LANGUAGES[0], settings=settings)
    facts.pop("generated_at")
    facts["availability"]["ratio"] = round(facts["availability"]["ratio"], 4)
    facts["availability"]["downtime_seconds"] //= 60
    for day in facts["days"]:
        if day is facts["days"][-1]:
            day.pop("hours")
        day["availability"] = round(day["availability"], 4)
        for key in ("downtime_seconds", "degraded_seconds", "excluded_seconds"):
            day[key] //= 60
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def export(page: StatusPage, target: Path, *, settings: StatusSettings, default_language: str) -> list[str]:
    """Write the pages into ``target`` (created if missing); returns the files written."""
    written = []
    for name, body in files_of(page, settings=settings, default_language=default_language).items():
        if _replace(target / name, body):
            written.append(name)
    _replace(target / FINGERPRINT, fingerprint(page, settings=settings).encode())
    return written


def export_if_changed(page: StatusPage, target: Path, *, settings: StatusSettings,
                      default_language: str) -> list[str]:
    """``export`` when the page's facts differ from the last export's, else nothing."""
    try:
        last = (target / FINGERPRINT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        last = ""
    if last == fingerprint(page, settings=settings):
        return []
    return export(page, target, settings=settings, default_language=default_language)


def _replace(path: Path, body: bytes) -> bool:
    try:
        if path.read_bytes() == body:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.chmod(scratch, 0o644)  # noqa: S103 - public pages, read by the web server
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    return True
