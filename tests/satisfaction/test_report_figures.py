"""The monthly report's satisfaction: answers of the month per agent, severity and account,
in Markdown and HTML, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sla_core.availability import availability_config_from_mapping
from sla_core.config.satisfaction import SatisfactionSettings
from sla_core.reports import Month, build_month_report, to_html, to_markdown
from sla_core.satisfaction import record_score
from sla_core.persistence.uow import UnitOfWork
from tests.satisfaction.test_surveys import MONDAY, resolved
from tests.tickets.conftest import ADMIN, OTHER_ADMIN, REPORTER

NOVEMBER = Month(year=2026, month=11)


def test_answers_are_grouped_per_agent_severity_and_account(db_engine, policy, support) -> None:
    answered = [(REPORTER, MONDAY, 5), (ADMIN, MONDAY + timedelta(hours=2), 2), (OTHER_ADMIN, MONDAY, 4)]
    for reporter, at, score in answered:  # three reporters: no fatigue window between them
        ref = resolved(db_engine, policy, support, at, reporter=reporter)
        record_score(UnitOfWork(db_engine), ticket_ref=ref, user_id=reporter, score=score, support=support,
                     settings=SatisfactionSettings(), now=at + timedelta(hours=3))
    report = build_month_report(UnitOfWork(db_engine), policy=policy, config=availability_config_from_mapping({}),
                                month=NOVEMBER, now=MONDAY + timedelta(days=10))
    figures = report.satisfaction
    assert figures is not None and figures.asked == 3
    assert (figures.overall.answers, figures.overall.average, figures.overall.low) == (3, 11 / 3, 1)
    assert [(g.key, g.answers, g.low) for g in figures.by_account] == [("acme", 2, 1), ("initech", 1, 0)]
    assert [(g.key, g.answers) for g in figures.by_severity] == [("important", 3)]
    assert [g.key for g in figures.by_agent] == ["UAGENT1"]

    text = to_markdown(report, lang="fr")
    assert "## Satisfaction" in text and "3 réponses sur 3 enquêtes, moyenne 3,7/5 ; 1 basses (au plus 2/5)." in text
    assert "| acme | 2 | 3,5 | 1 |" in text and "| Important | 3 | 3,7 | 1 |" in text
    page = to_html(report, lang="en")
    assert '<p id="satisfaction-overall">3 answers out of 3 surveys, average 3.7/5; 1 low (at most 2/5).</p>' in page
    assert "<caption>By agent</caption>" in page


def test_a_month_without_answers_says_so(db_engine, policy, support) -> None:
    report = build_month_report(UnitOfWork(db_engine), policy=policy, config=availability_config_from_mapping({}),
                                month=NOVEMBER, now=MONDAY)
    assert "No satisfaction answer this month." in to_markdown(report, lang="en")
