"""Availability over rolling 30-day windows, with the contract's exclusions, through the
services on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sla_core.outbox.address import AnnouncementChannel, Fallback
from sla_core.availability import (
    Cause, budget_warnings, current_availability, end_outage, list_outages, record_outage, start_outage,
    worst_availability_in_month,
)
from sla_core.availability.errors import InvalidInterval, NotPermitted, OutageAlreadyEnded
from sla_core.availability.maintenance import schedule_maintenance
from sla_core.availability.store import maintenance_overlapping, outages_overlapping
from sla_core.persistence.uow import UnitOfWork
from tests.availability.conftest import paris
from tests.tickets.conftest import AGENT, LEAD, REPORTER

NOW = paris(2026, 11, 30, 12, 0)


def record(uow: UnitOfWork, support, start, end, cause=Cause.VENDOR, service="api"):  # type: ignore[no-untyped-def]
    return record_outage(uow, support=support, actor_id=AGENT, service=service, cause=cause,
                         started_at=start, ended_at=end, now=NOW)


def test_a_four_hour_vendor_outage_in_thirty_days_misses_the_target(uow, support, config):
    record(uow, support, paris(2026, 11, 10, 8, 0), paris(2026, 11, 10, 12, 0))
    figure = current_availability(uow, settings=config.availability, now=NOW)
    assert figure.downtime == timedelta(hours=4)
    assert f"{figure.ratio:.2%}" == "99.44%"
    assert not figure.met
    assert figure.budget == timedelta(minutes=216)
    assert figure.budget_left == timedelta(minutes=-24)


def test_customer_internet_and_planned_causes_are_excluded(uow, support, config):
    for cause in (Cause.CUSTOMER, Cause.CUSTOMER_INTERNET, Cause.PLANNED_MAINTENANCE):
        record(uow, support, paris(2026, 11, 10, 8, 0), paris(2026, 11, 10, 12, 0), cause=cause)
    record(uow, support, paris(2026, 11, 12, 8, 0), paris(2026, 11, 12, 9, 0))
    figure = current_availability(uow, settings=config.availability, now=NOW)
    assert figure.downtime == timedelta(hours=1)
    assert figure.excluded == timedelta(hours=4)
    assert figure.met


def test_overlapping_outages_count_once_and_a_vendor_outage_inside_a_planned_window_does_not_count(
        uow, support, config, policy):
    record(uow, support, paris(2026, 11, 10, 8, 0), paris(2026, 11, 10, 10, 0), service="api")
    record(uow, support, paris(2026, 11, 10, 9, 0), paris(2026, 11, 10, 11, 0), service="web")
    schedule_maintenance(uow, policy=policy, support=support, settings=config.maintenance, actor_id=LEAD,
                         service="api", starts_at=paris(2026, 11, 20, 22, 0), ends_at=paris(2026, 11, 20, 23, 0),
                         now=paris(2026, 11, 1, 9, 0))
    # The maintenance overran by 30 minutes: only the overrun counts.
    record(uow, support, paris(2026, 11, 20, 22, 0), paris(2026, 11, 20, 23, 30))
    figure = current_availability(uow, settings=config.availability, now=NOW)
    assert figure.downtime == timedelta(hours=3, minutes=30)


def test_the_window_rolls_an_outage_older_than_thirty_days_out(uow, support, config):
    record(uow, support, paris(2026, 10, 30, 8, 0), paris(2026, 10, 30, 12, 0))
    assert current_availability(uow, settings=config.availability, now=paris(2026, 11, 29, 9, 0)).downtime \
        == timedelta(hours=3)  # 09:00 + 30 days: the first hour has left the window (no DST since)
    assert current_availability(uow, settings=config.availability, now=paris(2026, 11, 29, 12, 0)).met


def test_the_worst_window_of_a_month_is_found_where_the_outages_bunch_up(uow, support, config, policy):
    record(uow, support, paris(2026, 10, 20, 8, 0), paris(2026, 10, 20, 10, 0))
    record(uow, support, paris(2026, 11, 15, 8, 0), paris(2026, 11, 15, 10, 0))
    worst = worst_availability_in_month(uow, policy=policy, settings=config.availability, year=2026, month=11,
                                        now=paris(2026, 12, 15, 0, 0))
    assert worst.downtime == timedelta(hours=4)
    assert not worst.met
    assert worst.window_end <= paris(2026, 11, 19, 8, 0)  # before the October outage leaves the window


def test_an_outage_still_going_on_counts_until_now_and_ends_once(uow, support, config):
    outage = start_outage(uow, support=support, actor_id=AGENT, service="api", cause=Cause.VENDOR,
                          started_at=NOW - timedelta(hours=2), ticket_ref="INC-2026-000001", now=NOW)
    assert current_availability(uow, settings=config.availability, now=NOW).downtime == timedelta(hours=2)
    ended = end_outage(uow, support=support, actor_id=AGENT, outage_id=outage.id, now=NOW + timedelta(hours=1))
    assert ended.ended_at == NOW + timedelta(hours=1)
    with pytest.raises(OutageAlreadyEnded):
        end_outage(uow, support=support, actor_id=AGENT, outage_id=outage.id, now=NOW + timedelta(hours=2))
    listed = list_outages(uow, start=NOW - timedelta(days=1), end=NOW + timedelta(days=1))
    assert [(o.id, o.ticket_ref) for o in listed] == [(outage.id, "INC-2026-000001")]


def test_only_agents_record_interruptions_and_never_in_the_future(uow, support):
    with pytest.raises(NotPermitted) as refused:
        start_outage(uow, support=support, actor_id=REPORTER, service="api", cause=Cause.VENDOR, now=NOW)
    assert refused.value.code == "not_an_agent"
    with pytest.raises(InvalidInterval):
        record(uow, support, NOW, NOW - timedelta(hours=1))
    with pytest.raises(InvalidInterval):
        record(uow, support, NOW, NOW + timedelta(hours=1))


def test_budget_warnings_fire_once_per_threshold_and_episode(uow, support, config):
    record(uow, support, paris(2026, 11, 10, 8, 0), paris(2026, 11, 10, 10, 0))  # 120 of 216 min: 44 % left
    with uow:
        outages = outages_overlapping(uow.session, start=NOW - timedelta(days=31), end=NOW)
        planned = maintenance_overlapping(uow.session, start=NOW - timedelta(days=31), end=NOW)
    first = budget_warnings(outages, planned, settings=config.availability, now=NOW)
    later = budget_warnings(outages, planned, settings=config.availability, now=NOW + timedelta(minutes=15))
    assert [n.key for n in first] == ["availability:all:50pct:20261110T0700Z"]
    assert [n.key for n in later] == [n.key for n in first]  # the next tick decides the same row
    assert first[0].address == AnnouncementChannel(otherwise=Fallback.LEADS)  # no availability.channel: the leads
    assert first[0].payload.budget_left_minutes == 96
    record(uow, support, paris(2026, 11, 11, 8, 0), paris(2026, 11, 11, 10, 0))
    with uow:
        outages = outages_overlapping(uow.session, start=NOW - timedelta(days=31), end=NOW)
    keys = [n.key.split(":")[2] for n in budget_warnings(outages, planned, settings=config.availability, now=NOW)]
    assert keys == ["50pct", "25pct", "missed"]
