"""The status routes over real HTTP, on SQLite and PostgreSQL: what the page shows (and
never shows), the JSON's shape, the Atom feed as a feed reader parses it, languages,
ETag / 304 and the cache."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import feedparser
import pytest

from sla_core.availability.model import Cause
from sla_core.availability.outages import start_outage
from tests.statement_log import statements_sent
from tests.status.conftest import PUBLISHED, SECRETS, paris
from tests.tickets.conftest import AGENT, T0


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("path", ["/status?lang=en", "/status?lang=fr", "/status.json?lang=en",
                                  "/status/feed.atom?lang=fr"])
def test_nothing_of_the_ticket_but_its_published_update_reaches_a_page(served, path):
    url, _ = served
    status, _, body = get(url + path)
    text = body.decode()
    assert status == 200
    for secret in SECRETS:
        assert secret not in text
    assert "INC-" not in text  # not even the ticket's reference
    if path.startswith("/status.json"):
        assert PUBLISHED in text
    else:  # escaped once, for HTML or XML
        assert "We found the cause: a full disk &lt;on db-2&gt; &amp; we are freeing it." in text


def test_the_html_page_states_its_language_headings_and_what_happened(served):
    url, _ = served
    _, headers, body = get(url + "/status?lang=en")
    page = body.decode()
    assert headers["Content-Type"] == "text/html; charset=utf-8" and headers["Content-Language"] == "en"
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page and "<script" not in page
    assert '<h1>ACME status &lt;test&gt;</h1>' in page
    assert [h for h in ("Current status", "Planned maintenance", "Availability", "The last 90 days",
                        "Past interruptions") if f">{h}</h2>" in page] == [
        "Current status", "Planned maintenance", "Availability", "The last 90 days", "Past interruptions"]
    assert 'data-state="operational">All systems operational</p>' in page
    assert "api: 5 Dec 2026, 22:00 to 5 Dec 2026, 23:30 — database upgrade" in page
    assert "api: from 23 Nov 2026, 10:00 to 23 Nov 2026, 11:00" in page
    # each of the 90 bars has its text: the day of the interruption says how long it was down
    assert page.count('<span class="sr-only">') == 90
    assert "Mon, 23 Nov 2026: 91.67% available, 1 h down.</span>" in page  # 1 h of the 12 h so far today


def test_the_french_page_writes_numbers_and_dates_as_french_does(served):
    url, _ = served
    page = get(url + "/status?lang=fr")[2].decode()
    assert '<html lang="fr">' in page and ">État actuel</h2>" in page
    assert "api : du 23 nov. 2026, 10:00 au 23 nov. 2026, 11:00" in page
    assert "99,86\xa0% de disponibilité sur les 30 derniers jours, pour un objectif de 99,5\xa0%." in page


def test_the_json_has_the_documented_shape(served):
    url, _ = served
    status, headers, body = get(url + "/status.json?lang=en")
    doc = json.loads(body)
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
    assert set(doc) == {"title", "language", "generated_at", "timezone", "state", "current", "maintenance_now",
                        "upcoming_maintenance", "availability", "days", "interruptions"}
    assert doc["state"] == {"code": "operational", "label": "All systems operational"}
    assert doc["availability"] == {"window_days": 30, "ratio": pytest.approx(1 - 1 / 720, abs=1e-6),
                                   "target": 0.995, "met": True, "downtime_seconds": 3600}
    assert len(doc["days"]) == 90 and doc["days"][-1]["date"] == "2026-11-23"
    assert set(doc["days"][0]) == {"date", "hours", "availability", "downtime_seconds", "degraded_seconds",
                                   "excluded_seconds"}
    [past] = doc["interruptions"]
    assert past == {"id": past["id"], "service": "api", "started_at": "2026-11-23T09:00:00Z",
                    "ended_at": "2026-11-23T10:00:00Z", "degraded": False, "counted": True,
                    "updates": [{"at": "2026-11-23T09:20:00Z", "text": PUBLISHED}]}
    assert doc["upcoming_maintenance"] == [{"id": 1, "service": "api", "starts_at": "2026-12-05T21:00:00Z",
                                            "ends_at": "2026-12-05T22:30:00Z", "reason": "database upgrade"}]


def test_the_atom_feed_reads_in_a_feed_parser(served):
    url, _ = served
    status, headers, body = get(url + "/status/feed.atom?lang=en")
    feed = feedparser.parse(body)
    assert status == 200 and headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "ACME status <test>: interruptions and maintenance"
    titles = [e.title for e in feed.entries]
    assert titles == ["Planned maintenance: api", "Interruption: api"]
    interruption = feed.entries[1]
    assert interruption.id.startswith("urn:astreinte:status:interruption-")
    assert PUBLISHED in interruption.content[0].value
    assert interruption.updated_parsed[:5] == (2026, 11, 23, 10, 0)  # its end, after its last update


@pytest.mark.parametrize(("query", "accept", "lang"), [
    ("", "", "fr"),  # the desk's default language
    ("", "en-US,en;q=0.9,fr;q=0.5", "en"),
    ("", "de-DE, fr;q=0.2, en;q=0.1", "fr"),
    ("", "fr;q=0.4, en;q=0.8", "en"),
    ("?lang=en", "fr-FR", "en"),  # the link beats the browser
    ("?lang=de", "en", "en"),  # a language we do not write is ignored
], ids=["default", "english browser", "first we speak", "by quality", "lang parameter", "unknown lang"])
def test_the_language_follows_the_link_then_the_browser(served, query, accept, lang):
    url, _ = served
    headers = {"Accept-Language": accept} if accept else {}
    _, answer, body = get(url + "/status" + query, **headers)
    assert answer["Content-Language"] == lang and f'<html lang="{lang}">' in body.decode()
    assert answer["Vary"] == "Accept-Language"


def test_a_page_not_changed_is_answered_304_from_its_etag(served):
    url, _ = served
    status, headers, body = get(url + "/status.json?lang=fr")
    etag = headers["ETag"]
    assert status == 200 and etag.startswith('"') and not etag.startswith('W/')
    assert headers["Cache-Control"].startswith("public, max-age=")
    again, headers_304, empty = get(url + "/status.json?lang=fr", **{"If-None-Match": etag})
    assert (again, empty, headers_304["ETag"]) == (304, b"", etag)
    other = get(url + "/status.json?lang=en", **{"If-None-Match": etag})
    assert other[0] == 200  # another language is another document


def test_only_get_and_head(served):
    url, _ = served
    request = urllib.request.Request(url + "/status", data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - loopback
    assert refused.value.code == 405
    head = urllib.request.urlopen(urllib.request.Request(url + "/status", method="HEAD"), timeout=10)  # noqa: S310
    assert head.status == 200 and head.read() == b"" and int(head.headers["Content-Length"]) > 1000


def test_cached_pages_touch_no_database_until_the_data_change(desk):
    ticks = [0.0]
    cache = desk.cache(check_every=5.0, max_age=60.0, monotonic=lambda: ticks[0])
    with statements_sent(desk.uow.engine) as statements:  # SQLite's BEGIN included
        first = cache.get("html", "en")
        assert cache.builds == 1 and statements
        statements.clear()
        for _ in range(500):
            assert cache.get("html", "en") is first
        assert statements == []  # five hundred requests, no query
        ticks[0] = 6.0  # past check_every: one cheap query says nothing changed
        assert cache.get("html", "en") is first and cache.builds == 1
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
        desk.now = T0 + timedelta(hours=3)
        start_outage(desk.uow, support=desk.support, actor_id=AGENT, service="api", cause=Cause.VENDOR,
                     started_at=desk.now, now=desk.now)
        assert cache.get("html", "en") is first  # within check_every, still the old page
        ticks[0] = 12.0
        changed = cache.get("html", "en")
        assert changed is not first and 'data-state="interrupted"' in changed.body.decode() and cache.builds == 2


def test_the_page_turns_to_maintenance_when_its_window_starts_without_any_new_data(desk):
    ticks = [0.0]
    desk.now = paris(2026, 12, 5, 21, 59)
    cache = desk.cache(check_every=5.0, max_age=600.0, monotonic=lambda: ticks[0])
    assert json.loads(cache.get("json", "en").body)["state"]["code"] == "operational"
    desk.now = paris(2026, 12, 5, 22, 0)
    ticks[0] = 61.0  # the window's start was 60 s away: the page expired then, not at max_age
    doc = json.loads(cache.get("json", "en").body)
    assert doc["state"]["code"] == "maintenance" and doc["maintenance_now"][0]["reason"] == "database upgrade"


def test_an_interruption_going_on_is_the_current_state(desk):
    desk.now = T0 + timedelta(hours=3)
    start_outage(desk.uow, support=desk.support, actor_id=AGENT, service="web", cause=Cause.VENDOR,
                 started_at=desk.now - timedelta(minutes=10), now=desk.now)
    page = desk.cache().get("html", "en").body.decode()
    assert 'data-state="interrupted">Service interrupted</p>' in page and "<p>Interrupted: web.</p>" in page
    assert "web: since 23 Nov 2026, 12:50" in page
