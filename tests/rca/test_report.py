"""The monthly report counts the root-cause analyses due in the month: delivered on time,
late (delivered after the due, or still owed past it) and not yet due, in Markdown and
HTML, in French and English; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from sla_core.rca import service as rca
from sla_core.reports import Month, build_month_report
from sla_core.reports.html_report import to_html
from sla_core.reports.text import to_markdown
from tests.rca.test_scheduler import resolved
from tests.rca.test_service import CONTENT
from tests.tickets.conftest import AGENT, LEAD, PARIS


def test_rcas_due_on_time_and_late(uow, policy, support, app_config) -> None:
    on_time = resolved(uow, policy, support, "critical")  # due Monday 30 November 10:30
    resolved(uow, policy, support, "critical")  # the same instants: never delivered
    for step in (rca.save_draft, rca.submit):
        kwargs = {"settings": app_config.rca, "policy": policy} if step is rca.submit else {"content": CONTENT}
        step(uow, support=support, ticket_ref=on_time, actor_id=AGENT, now=datetime(2026, 11, 26, 9, tzinfo=PARIS),
             **kwargs)
    rca.approve(uow, policy=policy, support=support, ticket_ref=on_time, actor_id=LEAD,
                now=datetime(2026, 11, 26, 10, tzinfo=PARIS))
    resolved(uow, policy, support, "important")  # on request, never asked: owes nothing

    def report(now: datetime):
        return build_month_report(uow, policy=policy, config=app_config.service_levels, month=Month.parse("2026-11"),
                                  now=now, rca=app_config.rca)

    before = report(datetime(2026, 11, 30, 9, tzinfo=PARIS)).rca
    assert (before.due, before.on_time, before.late, before.pending) == (2, 1, 0, 1)
    after = report(datetime(2026, 12, 1, 9, tzinfo=PARIS))
    assert (after.rca.due, after.rca.on_time, after.rca.late, after.rca.pending) == (2, 1, 1, 0)
    assert "## Root-cause analyses\n\nDue this month: 2 · delivered on time: 1 · late: 1 · not yet due: 0" in \
        to_markdown(after, lang="en")
    html = to_html(after, lang="fr")
    assert '<h2 id="rca">Analyses des causes principales</h2><p class="missed">Attendues ce mois-ci : 2' in html
    assert report(datetime(2026, 12, 1, 9, tzinfo=PARIS) + timedelta(days=40)).rca.late == 1  # kept late
    without = build_month_report(uow, policy=policy, config=app_config.service_levels, month=Month.parse("2026-11"),
                                 now=datetime(2026, 12, 1, 9, tzinfo=PARIS))
    assert without.rca is None and "Root-cause" not in to_markdown(without, lang="en")
