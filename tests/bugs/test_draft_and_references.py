"""The bug report's draft keeps the ticket's facts and none of the reporter's personal
data; an issue is named the ways agents paste it, and only the configured tracker's."""

from __future__ import annotations

import pytest

from sla_core.bugs.reference import parse_reference
from sla_core.bugs.scrub import scrub
from sla_core.config.bug_tracker import BugTrackerConfig, GitHubSettings, JiraSettings
from sla_core.tickets.errors import TicketError


@pytest.mark.parametrize(("text", "expected"), [
    ("Call 06 12 34 56 78 please", "Call [phone] please"),
    ("Call +33 1 23 45 67 89 please", "Call [phone] please"),
    ("Call +33 (0)1 23 45 67 89 please", "Call [phone] please"),
    ("Call 01.23.45.67.89 please", "Call [phone] please"),
    ("tel:0612345678", "tel:[phone]"),
    ("UK office +44 20 7946 0958", "UK office [phone]"),
    ("Write to jean.dupont@acme.fr or J.Dupont+support@sub.acme.co.uk", "Write to [email] or [email]"),
    ("<mailto:jean@acme.fr|jean@acme.fr> and <@U0ACMEADM>", "[email] and [user]"),
])
def test_phone_numbers_email_addresses_and_mentions_are_removed(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize("text", [
    "Version 5.2.4 since 2026-12-01 10:00:03", "HTTP 500 on port 8080, id=42, 3.14159",
    "ORA-00942: table or view does not exist", "at line 1234567 of app.js", "build 20261201.3",
])
def test_what_is_not_personal_data_stays(text: str) -> None:
    assert scrub(text) == text


def test_the_tickets_own_contact_phone_goes_however_it_is_written() -> None:
    assert scrub("reach me: 01 23 45 67 89 poste 4321 (IT desk)", known=["01 23 45 67 89 poste 4321"]) == \
        "reach me: [phone] (IT desk)"


GITHUB = BugTrackerConfig(kind="github", github=GitHubSettings(repo="trackforce/platform"))
JIRA = BugTrackerConfig(kind="jira", jira=JiraSettings(site="https://trackforce.atlassian.net", project_key="PLAT"))


@pytest.mark.parametrize(("tracker", "written", "key", "url"), [
    (GITHUB, "https://github.com/trackforce/platform/issues/42", "trackforce/platform#42",
     "https://github.com/trackforce/platform/issues/42"),
    (GITHUB, "trackforce/platform#42", "trackforce/platform#42", "https://github.com/trackforce/platform/issues/42"),
    (GITHUB, " #42 ", "trackforce/platform#42", "https://github.com/trackforce/platform/issues/42"),
    (GITHUB, "42", "trackforce/platform#42", "https://github.com/trackforce/platform/issues/42"),
    (JIRA, "PLAT-12", "PLAT-12", "https://trackforce.atlassian.net/browse/PLAT-12"),
    (JIRA, "plat-12", "PLAT-12", "https://trackforce.atlassian.net/browse/PLAT-12"),
    (JIRA, "https://trackforce.atlassian.net/browse/PLAT-12", "PLAT-12", "https://trackforce.atlassian.net/browse/PLAT-12"),
])
def test_an_issue_is_named_by_its_url_or_its_key(tracker: BugTrackerConfig, written: str, key: str, url: str) -> None:
    ref = parse_reference(tracker, written)
    assert (ref.tracker, ref.key, ref.url) == (tracker.kind, key, url)


@pytest.mark.parametrize(("tracker", "written"), [
    (GITHUB, "https://github.com/someone/else/issues/42"), (GITHUB, "https://evil.example/trackforce/platform/issues/1"),
    (GITHUB, "other/repo#3"), (GITHUB, "#0"), (GITHUB, "PLAT-12"), (JIRA, "OPS-12"),
    (JIRA, "https://other.atlassian.net/browse/PLAT-12"), (JIRA, "#42"), (JIRA, ""),
])
def test_an_issue_of_another_repository_or_project_is_refused_on_the_field(tracker: BugTrackerConfig,
                                                                         written: str) -> None:
    with pytest.raises(TicketError) as refused:
        parse_reference(tracker, written)
    assert refused.value.code == "bug_reference_invalid" and refused.value.params["field"] == "bug"
