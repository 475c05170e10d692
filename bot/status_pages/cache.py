"""The rendered pages, kept in the process until they may have changed.

A request costs no database work while the cache is fresh. Freshness: at most every
``check_every`` seconds one query of aggregates (``sla_core.status.data_version``) tells
whether an interruption, a maintenance window or an update changed; the pages are also
rebuilt ``max_age`` seconds after they were built (the rolling figures and today's bar
move with time) and at the next boundary the page knows of (a maintenance window starting
or ending). Thousands of requests a second then share one rendering; several workers each
keep their own (same data, same bytes, so the same ETag)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.status_pages import documents
from bot.status_pages.documents import Links
from sla_core.availability.config import AvailabilitySettings
from sla_core.config.status_section import StatusSettings
from sla_core.persistence.uow import UnitOfWork
from sla_core.status import StatusPage, data_version, read_status

KINDS = {"html": "text/html; charset=utf-8", "json": "application/json; charset=utf-8",
         "atom": "application/atom+xml; charset=utf-8"}


@dataclass(frozen=True, kw_only=True)
class Rendered:
    body: bytes
    etag: str  # strong: a hash of the bytes
    content_type: str


def render(page: StatusPage, kind: str, lang: str, *, settings: StatusSettings, links: Links) -> Rendered:
    if kind == "html":
        text = documents.html(page, lang=lang, settings=settings, links=links)
    elif kind == "atom":
        text = documents.atom(page, lang=lang, settings=settings, links=links)
    else:
        text = documents.as_json(page, lang=lang, settings=settings)
    body = text.encode("utf-8")
    return Rendered(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"', content_type=KINDS[kind])


@dataclass(kw_only=True)
class _Entry:
    version: tuple[object, ...]
    page: StatusPage
    built: float  # monotonic
    expires: float  # monotonic: max_age or the next boundary
    rendered: dict[tuple[str, str], Rendered] = field(default_factory=dict)


def next_boundary(page: StatusPage) -> datetime | None:
    """The next instant the state changes by itself: a window under way ends, one to come starts."""
    moments = [w.ends_at for w in page.maintenance_now] + [w.starts_at for w in page.upcoming]
    return min(moments) if moments else None


class StatusCache:
    def __init__(self, *, engine: Engine, settings: AvailabilitySettings, timezone: ZoneInfo,
                 status: StatusSettings, clock: Callable[[], datetime], check_every: float = 2.0,
                 max_age: float = 60.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.engine, self.settings, self.timezone, self.status = engine, settings, timezone, status
        self.clock, self.check_every, self.max_age, self.monotonic = clock, check_every, max_age, monotonic
        self._entry: _Entry | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()
        self.builds = 0  # how many times the page was read from the database (tests, benchmark)

    def get(self, kind: str, lang: str) -> Rendered:
        entry = self._current()
        key = (kind, lang)
        rendered = entry.rendered.get(key)
        if rendered is None:
            rendered = render(entry.page, kind, lang, settings=self.status, links=Links.live(lang))
            entry.rendered[key] = rendered
        return rendered

    def _current(self) -> _Entry:
        entry, tick = self._entry, self.monotonic()
        if entry is not None and tick < entry.expires and tick - self._checked < self.check_every:
            return entry  # the hot path: no lock, no database
        with self._lock:
            entry, tick = self._entry, self.monotonic()
            if entry is not None and tick < entry.expires and tick - self._checked < self.check_every:
                return entry
            with UnitOfWork(self.engine) as uow:
                version = data_version(uow.session)
            self._checked = self.monotonic()
            if entry is not None and version == entry.version and tick < entry.expires:
                return entry
            now = self.clock()
            page = read_status(UnitOfWork(self.engine), settings=self.settings, timezone=self.timezone, now=now)
            self.builds += 1
            expires = tick + self.max_age
            boundary = next_boundary(page)
            if boundary is not None:
                expires = min(expires, tick + max((boundary - now) / timedelta(seconds=1), 0.0))
            self._entry = _Entry(version=version, page=page, built=tick, expires=expires)
            return self._entry
