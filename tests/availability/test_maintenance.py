"""Planned maintenance: the 3-hour monthly budget, windows across a month's end, the
critical-fix exception, announcements in the outbox and the customers' email over a real
SMTP connection."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy as email_policy

import pytest
from sqlalchemy import select

from bot.email import EmailFailed, send_email
from sla_core.outbox.address import AnnouncementChannel
from sla_core.outbox.codec import decode_address
from sla_core.availability import cancel_maintenance, maintenance_budget, schedule_maintenance
from sla_core.availability.config import EmailSettings, MaintenanceSettings
from sla_core.availability.errors import (
    AvailabilityError, InvalidInterval, MaintenanceOverBudget, NotPermitted,
)
from sla_core.outbox.models import OutboxRow
from tests.availability.conftest import CUSTOMER_EMAILS, paris
from tests.tickets.conftest import AGENT, LEAD

NOW = paris(2026, 11, 25, 10, 0)


def schedule(uow, policy, support, config, start, end, **extra):  # type: ignore[no-untyped-def]
    return schedule_maintenance(uow, policy=policy, support=support, settings=config.maintenance, actor_id=LEAD,
                                service="api", starts_at=start, ends_at=end, now=NOW, **extra)


def test_two_hours_and_one_hour_fit_and_one_more_minute_is_refused(uow, policy, support, config):
    schedule(uow, policy, support, config, paris(2026, 12, 5, 22, 0), paris(2026, 12, 6, 0, 0))
    second = schedule(uow, policy, support, config, paris(2026, 12, 12, 22, 0), paris(2026, 12, 12, 23, 0))
    assert [(b.label, b.used, b.left) for b in second.budgets] == [("2026-12", timedelta(hours=3), timedelta(0))]
    with pytest.raises(MaintenanceOverBudget) as refused:
        schedule(uow, policy, support, config, paris(2026, 12, 19, 22, 0), paris(2026, 12, 19, 22, 1))
    assert refused.value.params == {"month": "2026-12", "left_minutes": 0, "budget_minutes": 180}
    assert "0 min left that month" in str(refused.value)
    critical = schedule(uow, policy, support, config, paris(2026, 12, 19, 22, 0), paris(2026, 12, 19, 22, 1),
                        critical_fixes=True)
    assert critical.email is None  # critical fixes: customers are not emailed beforehand
    budget = maintenance_budget(uow, policy=policy, settings=config.maintenance, year=2026, month=12)
    assert budget.used == timedelta(hours=3, minutes=1)


def test_a_window_across_the_month_end_counts_in_each_month(uow, policy, support, config):
    result = schedule(uow, policy, support, config, paris(2026, 11, 30, 23, 0), paris(2026, 12, 1, 1, 30))
    assert [(b.label, b.used) for b in result.budgets] == [("2026-11", timedelta(hours=1)),
                                                           ("2026-12", timedelta(hours=1, minutes=30))]
    with pytest.raises(MaintenanceOverBudget) as refused:
        schedule(uow, policy, support, config, paris(2026, 12, 10, 22, 0), paris(2026, 12, 11, 0, 0))
    assert refused.value.params["left_minutes"] == 90


def test_announcements_are_queued_now_at_the_start_and_at_the_end(uow, policy, support, config):
    result = schedule(uow, policy, support, config, paris(2026, 12, 5, 22, 0), paris(2026, 12, 5, 23, 0),
                      reason="database upgrade")
    with uow:
        rows = {r.key: r for r in uow.session.scalars(select(OutboxRow))}
        uow.session.expunge_all()  # read them after the transaction
    wid = result.window.id
    assert set(rows) == {f"maintenance:{wid}:scheduled", f"maintenance:{wid}:started", f"maintenance:{wid}:ended"}
    assert rows[f"maintenance:{wid}:started"].ready_at == paris(2026, 12, 5, 22, 0)
    assert rows[f"maintenance:{wid}:ended"].ready_at == paris(2026, 12, 5, 23, 0)
    scheduled = rows[f"maintenance:{wid}:scheduled"]
    assert (scheduled.kind, decode_address(scheduled.audience), scheduled.payload["event"]) == \
        ("maintenance", AnnouncementChannel(channel="C0ANNOUNCE"), "scheduled")
    cancel_maintenance(uow, policy=policy, support=support, settings=config.maintenance, actor_id=LEAD,
                       window_id=wid, now=NOW + timedelta(hours=1))
    with uow:
        keys = set(uow.session.scalars(select(OutboxRow.key)))
    assert keys == {f"maintenance:{wid}:scheduled", f"maintenance:{wid}:cancelled"}
    assert maintenance_budget(uow, policy=policy, settings=config.maintenance, year=2026, month=12).used == timedelta(0)


def test_refusals_say_what_to_fix(uow, policy, support, config):
    with pytest.raises(NotPermitted) as not_lead:
        schedule_maintenance(uow, policy=policy, support=support, settings=config.maintenance, actor_id=AGENT,
                             service="api", starts_at=paris(2026, 12, 5, 22), ends_at=paris(2026, 12, 5, 23), now=NOW)
    assert not_lead.value.code == "not_a_lead"
    with pytest.raises(InvalidInterval) as past:
        schedule(uow, policy, support, config, NOW - timedelta(hours=2), NOW - timedelta(hours=1))
    assert past.value.code == "maintenance_in_past"
    with pytest.raises(InvalidInterval):
        schedule(uow, policy, support, config, paris(2026, 12, 5, 23), paris(2026, 12, 5, 22))
    with pytest.raises(AvailabilityError) as nobody:
        schedule_maintenance(uow, policy=policy, support=support, settings=MaintenanceSettings(), actor_id=LEAD,
                             service="api", starts_at=paris(2026, 12, 5, 22), ends_at=paris(2026, 12, 5, 23), now=NOW)
    assert nobody.value.code == "no_recipients"


def test_the_customers_email_reaches_a_real_smtp_server(uow, policy, support, config, smtp_server):
    result = schedule(uow, policy, support, config, paris(2026, 12, 5, 22, 0), paris(2026, 12, 5, 23, 30),
                      reason="database upgrade")
    assert result.email is not None
    settings = EmailSettings(host=smtp_server.host, port=smtp_server.port, sender="support@trackforce.com")
    send_email(settings, result.email)
    [(recipients, raw)] = smtp_server.messages
    assert sorted(recipients) == sorted(CUSTOMER_EMAILS)  # the inactive account is not written to
    message = email.message_from_bytes(raw, policy=email_policy.default)
    assert message["From"] == "support@trackforce.com"
    assert message["Subject"] == ("Entretien planifié / Planned maintenance: api, "
                                  "2026-12-05 22:00–23:30 (Europe/Paris)")
    body = message.get_content()
    assert "from 2026-12-05 22:00 (Europe/Paris, UTC+01:00) to 2026-12-05 23:30 (Europe/Paris, UTC+01:00)" in body
    assert "du 2026-12-05 22:00" in body and "(90 minutes)" in body and "database upgrade" in body
    assert "it-ops@acme.example" not in message.get("To", "")  # customers never see each other


def test_a_mail_server_that_is_down_is_reported_not_swallowed(uow, policy, support, config, smtp_server):
    result = schedule(uow, policy, support, config, paris(2026, 12, 5, 22, 0), paris(2026, 12, 5, 23, 0))
    port = smtp_server.port
    assert result.email is not None
    with pytest.raises(EmailFailed, match=r"could not send email through 127\.0\.0\.1:1"):
        send_email(EmailSettings(host="127.0.0.1", port=1, sender="support@trackforce.com", timeout=2), result.email)
    assert port  # the real server stays untouched
