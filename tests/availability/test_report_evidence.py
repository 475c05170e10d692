"""Each missed commitment of the monthly report points to its explanation: the command
that prints the ticket's ledger, on its line, in the report's language."""

from __future__ import annotations

import pytest

from sla_core.reports import Month, build_month_report, to_html, to_markdown
from tests.availability.month import AS_OF, build_month

NOVEMBER = Month(year=2026, month=11)


@pytest.fixture
def report(uow, policy, support, config):  # type: ignore[no-untyped-def]
    build_month(uow, policy, support, config)
    return build_month_report(uow, policy=policy, config=config, month=NOVEMBER, now=AS_OF)


def test_every_breach_in_markdown_names_the_command_that_explains_it(report):  # type: ignore[no-untyped-def]
    text = to_markdown(report, lang="en")
    assert report.breaches
    for breach in report.breaches:
        line = next(line for line in text.splitlines() if line.startswith(f"| {breach.ref} "))
        assert line.endswith(f"| `astreinte sla explain {breach.ref}` |")
    assert "| Why (the ledger) |" in text and "SLA details button" in text
    french = to_markdown(report, lang="fr")
    assert f"`astreinte sla explain {report.breaches[0].ref} --lang fr`" in french


def test_every_breach_in_html_names_the_command_without_a_link_to_fetch(report):  # type: ignore[no-untyped-def]
    page = to_html(report, lang="fr")
    for breach in report.breaches:
        assert f'<td class="explain"><code>astreinte sla explain {breach.ref} --lang fr</code></td>' in page
    assert page.count('<td class="explain">') == len(report.breaches) and "href=" not in page
