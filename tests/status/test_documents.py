"""The documents of a status page without a server: the feed's ids and links on a public
URL, and how a day's shares become a bar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser

from bot.status_pages.documents import Links, atom, bar_segments
from sla_core.availability.config import AvailabilitySettings
from sla_core.availability.model import Cause, OutageView
from sla_core.config.status_section import StatusSettings
from sla_core.status import DayBar, build_status

PARIS = ZoneInfo("Europe/Paris")


def test_on_a_public_url_the_feed_has_tag_ids_and_absolute_links():
    down = OutageView(id=7, service="api", cause=Cause.VENDOR, started_at=datetime(2026, 12, 1, 10, tzinfo=PARIS),
                      ended_at=datetime(2026, 12, 1, 11, tzinfo=PARIS), ticket_ref=None, note="", recorded_by="U")
    page = build_status([down], [], updates={}, settings=AvailabilitySettings(), timezone=PARIS,
                        now=datetime(2026, 12, 3, 12, tzinfo=PARIS))
    settings = StatusSettings(public_url="https://status.example.com/status")
    feed = feedparser.parse(atom(page, lang="en", settings=settings, links=Links.live("en")))
    assert not feed.bozo
    [entry] = feed.entries
    assert entry.id == "tag:status.example.com,2026:interruption-7"
    assert entry.link == "https://status.example.com/status?lang=en#interruption-7"
    assert feed.feed.links[0].href == "https://status.example.com/status/feed.atom?lang=en"


def bar(down: float = 0, degraded: float = 0, excluded: float = 0) -> DayBar:
    return DayBar(day=date(2026, 12, 1), length=timedelta(hours=24), downtime=timedelta(minutes=down),
                  degraded=timedelta(minutes=degraded), excluded=timedelta(minutes=excluded))


def test_a_quiet_day_is_all_available():
    assert bar_segments(bar()) == [("up", 100.0)]


def test_five_minutes_down_still_show_as_a_sliver():
    assert bar_segments(bar(down=5)) == [("down", 8.0), ("up", 92.0)]


def test_a_day_mostly_down_is_drawn_to_scale():
    assert bar_segments(bar(down=720, excluded=360)) == [("down", 50.0), ("excluded", 25.0), ("up", 25.0)]


def test_shares_never_overflow_the_bar():
    segments = bar_segments(bar(down=1380, degraded=30, excluded=30))
    assert sum(h for _, h in segments) <= 100.05 and [n for n, _ in segments] == ["down", "degraded", "excluded", "up"]
