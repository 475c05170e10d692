"""The monthly summary goes out in its channel's language (app.yaml's
slack.default_language), its figures written as that language writes them: through the
real sender, to the recording fake Slack."""

from __future__ import annotations

import dataclasses

import pytest

from sla_core.outbox import store
from sla_core.reports import Month, build_month_report, monthly_summary_due, summary_notification
from tests.availability.conftest import paris
from tests.delivery.conftest import World, texts, world  # noqa: F401 (the fixture)

LEADS = "C0SUPLEAD"


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "Bilan SLA de *novembre 2026* : 0 dépassement ; pire disponibilité sur 30 jours 100 %."),
    ("en", "SLA summary for *November 2026*: 0 breaches; worst 30-day availability 100%."),
])
def test_the_monthly_summary_speaks_the_channels_language(world: World, language: str, expected: str) -> None:
    world.ctx.wiring = dataclasses.replace(world.ctx.wiring, default_language=language)
    now = paris(2026, 12, 1, 9, 0)
    world.clock.now = now
    report = build_month_report(world.ctx.uow(), policy=world.ctx.policy, config=world.ctx.service_levels,
                                month=Month(year=2026, month=11), now=now)
    with world.ctx.uow() as uow:
        owed = monthly_summary_due(world.ctx.policy, now, last_decided=None)
        assert owed is not None and owed.month == report.month
        store.enqueue(uow.session, [summary_notification(report, owed)], now=now)
        uow.commit()
    world.sender().run_once()
    posted = [texts(m).replace("\xa0", " ").replace("\u202f", " ") for m in world.slack.messages(LEADS)]
    assert any(expected in text for text in posted), posted
