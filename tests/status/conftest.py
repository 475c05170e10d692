"""A desk with one interruption linked to a ticket, whose agents posted a published
update, an unpublished one and an internal note, and a maintenance window to come; the
status routes served over real HTTP on loopback, from the database the tests fill."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from bot.offline.loopback import serve_wsgi
from bot.status_pages.cache import StatusCache
from bot.status_pages.wsgi import StatusRoutes
from sla_core.availability import AvailabilityConfig, availability_config_from_mapping
from sla_core.availability.maintenance import schedule_maintenance
from sla_core.availability.model import Cause
from sla_core.availability.outages import end_outage, start_outage
from sla_core.config.status_section import StatusSettings
from sla_core.persistence.uow import UnitOfWork
from sla_core.policy import Policy
from sla_core.tickets import Action, SupportConfig, support_from_mapping
from tests.tickets.conftest import AGENT, LEAD, PARIS, SUPPORT_RAW, T0
from tests.tickets.helpers import open_one, perform

# What a ticket holds that must never reach the page.
SECRETS = ("PRIVATE unpublished update", "PRIVATE internal note", "PRIVATE outage note", "Secret title of ACME",
           "secret description", "ACME Corp", "UREPORTER", "UAGENT1")
PUBLISHED = "We found the cause: a full disk <on db-2> & we are freeing it."


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.fixture(scope="session")
def support() -> SupportConfig:
    return support_from_mapping(SUPPORT_RAW)


@pytest.fixture(scope="session")
def levels() -> AvailabilityConfig:
    return availability_config_from_mapping({"maintenance": {"notify": ["it-ops@acme.example"]}})


@dataclass
class Desk:
    uow: UnitOfWork
    policy: Policy
    support: SupportConfig
    levels: AvailabilityConfig
    ref: str = ""
    outage_id: int = 0
    now: datetime = T0
    clock_calls: list[datetime] = field(default_factory=list)

    def clock(self) -> datetime:
        self.clock_calls.append(self.now)
        return self.now

    def cache(self, **tuning: float) -> StatusCache:
        return StatusCache(engine=self.uow.engine, settings=self.levels.availability, timezone=self.policy.timezone,
                           status=StatusSettings(title="ACME status <test>"), clock=self.clock, **tuning)


@pytest.fixture
def desk(uow: UnitOfWork, policy: Policy, support: SupportConfig, levels: AvailabilityConfig) -> Desk:
    """At T0 + 2 h: an interruption from T0 to T0 + 1 h, linked to a ticket with one
    published update; a maintenance window on 5 December 22:00–23:30."""
    d = Desk(uow=uow, policy=policy, support=support, levels=levels)
    ticket = open_one(uow, policy=policy, support=support, title="Secret title of ACME",
                      description="secret description")
    d.ref = ticket.ref
    args = {"policy": policy, "support": support, "ref": d.ref, "actor": AGENT}
    perform(Action.ACKNOWLEDGE, uow, now=T0 + timedelta(minutes=5), **args)
    perform(Action.POST_UPDATE, uow, now=T0 + timedelta(minutes=20), text=PUBLISHED, publish=True, **args)
    perform(Action.POST_UPDATE, uow, now=T0 + timedelta(minutes=30), text="PRIVATE unpublished update", **args)
    perform(Action.ADD_INTERNAL_NOTE, uow, now=T0 + timedelta(minutes=35), text="PRIVATE internal note", **args)
    outage = start_outage(uow, support=support, actor_id=AGENT, service="api", cause=Cause.VENDOR, started_at=T0,
                          ticket_ref=d.ref, note="PRIVATE outage note", now=T0 + timedelta(minutes=1))
    d.outage_id = outage.id
    end_outage(uow, support=support, actor_id=AGENT, outage_id=outage.id, ended_at=T0 + timedelta(hours=1),
               now=T0 + timedelta(hours=1))
    schedule_maintenance(uow, policy=policy, support=support, settings=levels.maintenance, actor_id=LEAD,
                         service="api", starts_at=paris(2026, 12, 5, 22, 0), ends_at=paris(2026, 12, 5, 23, 30),
                         reason="database upgrade", now=T0 + timedelta(hours=1))
    d.now = T0 + timedelta(hours=2)
    return d


@pytest.fixture
def served(desk: Desk) -> Iterator[tuple[str, StatusCache]]:
    """The routes on loopback: (base URL, their cache)."""
    cache = desk.cache()
    routes = StatusRoutes(cache, default_language="fr")

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        if routes.handles(environ.get("PATH_INFO", "")):
            return routes(environ, start_response)
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]

    with serve_wsgi(app) as url:
        yield url, cache


Fetch = Callable[..., tuple[int, dict[str, str], bytes]]
