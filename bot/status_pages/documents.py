"""The three documents of a ``StatusPage``, in one language: the HTML page, the Atom feed
and the JSON. The HTML and the feed are Jinja2 templates of this package with autoescape
on (unlike Slack's texts, which are mrkdwn): every word comes from
``messages/<lang>/status.yaml`` as plain text and every value is escaped once, here."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.status_pages.words import day_name, when
from messages import LANGUAGES, render_plain
from sla_core.config.status_section import StatusSettings
from sla_core.status import DayBar, Interruption, PlannedWindow, StatusPage

# A non-zero share of a day is drawn at least this high (in % of the bar), or five
# minutes down would be invisible; the exact figures are in the bar's text.
MIN_VISIBLE = 8.0

_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent), autoescape=True,
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True, kw_only=True)
class Links:
    """Where a page's links point: the live routes (``?lang=``) or the static export's files."""

    page: str  # this page (HTML) in this language
    other: str  # the page in the other language
    feed: str
    json: str

    @staticmethod
    def live(lang: str, base: str = "/status") -> Links:
        other = next(other for other in LANGUAGES if other != lang)
        return Links(page=f"{base}?lang={lang}", other=f"{base}?lang={other}",
                     feed=f"{base}/feed.atom?lang={lang}", json=f"{base}.json?lang={lang}")

    @staticmethod
    def static(lang: str) -> Links:
        other = next(other for other in LANGUAGES if other != lang)
        return Links(page="index.html", other=f"../{other}/index.html", feed="feed.atom", json="status.json")


class Words:
    """What the templates call: ``t(key, **values)`` and the dates, in one language."""

    def __init__(self, lang: str, timezone: ZoneInfo) -> None:
        self.lang, self.timezone = lang, timezone

    def t(self, key: str, **values: Any) -> str:
        return render_plain(f"status_page.{key}", self.lang, **values)

    def when(self, instant: datetime) -> str:
        return when(instant, self.lang, self.timezone)

    def span(self, item: Interruption | PlannedWindow) -> str:
        if isinstance(item, PlannedWindow):
            return self.t("window", service=item.service, start=self.when(item.starts_at), end=self.when(item.ends_at))
        if item.ended_at is None:
            return self.t("since", service=item.service, start=self.when(item.started_at))
        return self.t("from_to", service=item.service, start=self.when(item.started_at), end=self.when(item.ended_at))

    def label(self, bar: DayBar) -> str:
        return day_name(bar.day, self.lang)

    def day(self, bar: DayBar) -> str:
        name = day_name(bar.day, self.lang)
        if bar.quiet:
            return self.t("day_quiet", day=name)
        return self.t("day", day=name, ratio=bar.availability, downtime=bar.downtime, excluded=bar.excluded,
                      degraded=bar.degraded)


def _share(part: timedelta, whole: timedelta) -> float:
    if not part or whole <= timedelta(0):
        return 0.0
    return round(max(MIN_VISIBLE, 100.0 * (part / whole)), 1)


def bar_segments(bar: DayBar) -> list[tuple[str, float]]:
    """(class, height in %) from the top: down, degraded, excluded, then available."""
    shares = [(name, _share(amount, bar.length)) for name, amount in
              (("down", bar.downtime), ("degraded", bar.degraded), ("excluded", bar.excluded))]
    shares = [(name, share) for name, share in shares if share]
    used = sum(share for _, share in shares)
    if used > 100.0:  # the minimum heights may overflow a bad day: scale them back, rounding down
        shares = [(name, math.floor(share * 1000.0 / used) / 10) for name, share in shares]
        used = sum(share for _, share in shares)
    return [*shares, ("up", max(0.0, round(100.0 - used, 1)))]


def _title(settings: StatusSettings, lang: str) -> str:
    return settings.title or render_plain("status_page.title", lang)


def _services(items: tuple[Interruption, ...] | tuple[PlannedWindow, ...]) -> str:
    return ", ".join(sorted({i.service for i in items}))


def html(page: StatusPage, *, lang: str, settings: StatusSettings, links: Links) -> str:
    words = Words(lang, ZoneInfo(page.timezone))
    detail_of = {"operational": "", "interrupted": _services(tuple(i for i in page.current if not i.degraded)),
                 "degraded": _services(tuple(i for i in page.current if i.degraded)),
                 "maintenance": _services(page.maintenance_now) or _services(page.current)}
    return _ENV.get_template("page.html.j2").render(
        page=page, lang=lang, title=_title(settings, lang), words=words, t=words.t, links=links,
        state=page.state.value, state_detail=words.t(f"state_detail.{page.state.value}",
                                                     services=detail_of[page.state.value]),
        segments=bar_segments, other_lang=next(o for o in LANGUAGES if o != lang))


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _entry_id(settings: StatusSettings, kind: str, number: int) -> str:
    """Permanent: a tag URI on the public host when known, else a URN."""
    if settings.public_url:
        return f"tag:{urlsplit(settings.public_url).hostname},2026:{kind}-{number}"
    return f"urn:astreinte:status:{kind}-{number}"


def atom(page: StatusPage, *, lang: str, settings: StatusSettings, links: Links) -> str:
    words = Words(lang, ZoneInfo(page.timezone))
    base = settings.public_url or ""

    def absolute(href: str) -> str:
        """A live route on the public URL when there is one (relative links otherwise)."""
        return f"{base}{href[len('/status'):]}" if base and href.startswith("/status") else href

    entries: list[dict[str, Any]] = []
    for item in (*page.current, *page.past):
        stamps = [item.started_at, *(u.at for u in item.updates), *([item.ended_at] if item.ended_at else [])]
        entries.append({"id": _entry_id(settings, "interruption", item.id),
                        "title": words.t("feed.degraded" if item.degraded else "feed.interruption",
                                         service=item.service),
                        "published": _instant(item.started_at), "updated": _instant(max(stamps)),
                        "link": f"{absolute(links.page)}#interruption-{item.id}", "summary": words.span(item),
                        "updates": [(words.when(u.at), u.text) for u in item.updates]})
    for window in (*page.maintenance_now, *page.upcoming):
        entries.append({"id": _entry_id(settings, "maintenance", window.id),
                        "title": words.t("feed.maintenance", service=window.service),
                        "published": _instant(window.starts_at), "updated": _instant(window.starts_at),
                        "link": f"{absolute(links.page)}#maintenance-{window.id}",
                        "summary": words.span(window) + (f" — {window.reason}" if window.reason else ""),
                        "updates": []})
    entries.sort(key=lambda e: e["updated"], reverse=True)
    title = _title(settings, lang)
    feed_id = (f"tag:{urlsplit(settings.public_url).hostname},2026:status" if settings.public_url
               else "urn:astreinte:status")
    return _ENV.get_template("feed.atom.j2").render(
        lang=lang, title=words.t("feed.title", title=title), author=title, feed_id=f"{feed_id}:{lang}",
        updated=entries[0]["updated"] if entries else _instant(page.now.replace(hour=0, minute=0, second=0,
                                                                                 microsecond=0)),
        self_link=absolute(links.feed), page_link=absolute(links.page), entries=entries)


def _seconds(amount: timedelta) -> int:
    return int(amount.total_seconds())


def document(page: StatusPage, *, lang: str, settings: StatusSettings) -> dict[str, Any]:
    """The JSON's content: the same facts as the page, with the state's words in ``lang``."""
    def interruption(i: Interruption) -> dict[str, Any]:
        return {"id": i.id, "service": i.service, "started_at": _instant(i.started_at),
                "ended_at": _instant(i.ended_at) if i.ended_at else None, "degraded": i.degraded,
                "counted": i.counted, "updates": [{"at": _instant(u.at), "text": u.text} for u in i.updates]}

    def window(w: PlannedWindow) -> dict[str, Any]:
        return {"id": w.id, "service": w.service, "starts_at": _instant(w.starts_at), "ends_at": _instant(w.ends_at),
                "reason": w.reason}

    return {
        "title": _title(settings, lang), "language": lang, "generated_at": _instant(page.now),
        "timezone": page.timezone,
        "state": {"code": page.state.value, "label": render_plain(f"status_page.state.{page.state.value}", lang)},
        "current": [interruption(i) for i in page.current],
        "maintenance_now": [window(w) for w in page.maintenance_now],
        "upcoming_maintenance": [window(w) for w in page.upcoming],
        "availability": {"window_days": page.window_days, "ratio": round(page.availability, 6),
                         "target": page.target, "met": page.met, "downtime_seconds": _seconds(page.downtime)},
        "days": [{"date": b.day.isoformat(), "hours": round(b.length / timedelta(hours=1), 4),
                  "availability": round(b.availability, 6), "downtime_seconds": _seconds(b.downtime),
                  "degraded_seconds": _seconds(b.degraded), "excluded_seconds": _seconds(b.excluded)}
                 for b in page.days],
        "interruptions": [interruption(i) for i in page.past],
    }


def as_json(page: StatusPage, *, lang: str, settings: StatusSettings) -> str:
    return json.dumps(document(page, lang=lang, settings=settings), ensure_ascii=False, indent=1) + "\n"
