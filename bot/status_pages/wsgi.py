"""The status routes: ``GET``/``HEAD`` ``/status``, ``/status.json``, ``/status/feed.atom``.

Public and read-only: no Slack signature here (the request guard is for Slack's routes).
Every answer carries a strong ``ETag`` (a hash of its bytes), ``Cache-Control: public,
max-age=…``, ``Vary: Accept-Language`` and ``Content-Language``; ``If-None-Match`` with
the current ETag gets ``304 Not Modified`` without a body. Any other method: 405."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from datetime import datetime

from sqlalchemy import Engine

from bot.status_pages.cache import Rendered, StatusCache
from bot.status_pages.words import negotiate
from sla_core.config import AppConfig

log = logging.getLogger("astreinte.status")

StartResponse = Callable[..., Any]
ROUTES = {"/status": "html", "/status/": "html", "/status.json": "json", "/status/feed.atom": "atom"}
MAX_AGE = 30  # seconds a browser or a CDN may reuse a page without asking


def cache_for(config: AppConfig, *, engine: Engine, clock: Callable[[], datetime], **tuning: Any) -> StatusCache:
    return StatusCache(engine=engine, settings=config.availability, timezone=config.policy.timezone,
                       status=config.status, clock=clock, **tuning)


class StatusRoutes:
    def __init__(self, cache: StatusCache, *, default_language: str) -> None:
        self.cache = cache
        self.default_language = default_language

    def handles(self, path: str) -> bool:
        return path in ROUTES

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        kind = ROUTES[environ.get("PATH_INFO", "")]
        query = parse_qs(environ.get("QUERY_STRING", ""))
        lang = negotiate((query.get("lang") or [None])[0], environ.get("HTTP_ACCEPT_LANGUAGE"),
                         self.default_language)
        page = self.cache.get(kind, lang)
        headers = _headers(page, lang)
        if _matches(environ.get("HTTP_IF_NONE_MATCH"), page.etag):
            start_response("304 Not Modified", headers)
            return [b""]
        start_response("200 OK", [*headers, ("Content-Type", page.content_type),
                                  ("Content-Length", str(len(page.body)))])
        return [b"" if method == "HEAD" else page.body]


def _headers(page: Rendered, lang: str) -> list[tuple[str, str]]:
    return [("ETag", page.etag), ("Cache-Control", f"public, max-age={MAX_AGE}"), ("Vary", "Accept-Language"),
            ("Content-Language", lang), ("X-Content-Type-Options", "nosniff")]


def _matches(header: str | None, etag: str) -> bool:
    """``If-None-Match``: ``*`` or a list of tags (weak ones compared weakly, RFC 9110)."""
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags
