"""The ``bug_tracker`` section is checked with key paths like every other, its
credentials come from the environment only, and the trackers' package imports no Slack."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
import yaml

from bot.settings import MissingCredential
from bot.trackers.setup import tracker_client, webhook_secret
from sla_core.config import ConfigErrors, config_from_mapping
from sla_core.config.bug_tracker import BugTrackerConfig, GitHubSettings, JiraSettings
from tests.conftest import REPO


def with_tracker(section: object) -> dict:
    data = yaml.safe_load((REPO / "app.yaml").read_text(encoding="utf-8"))
    data["bug_tracker"] = section
    return data


def problems(section: object) -> list[str]:
    with pytest.raises(ConfigErrors) as errors:
        config_from_mapping(with_tracker(section))
    return [str(p) for p in errors.value.problems]


def test_the_shipped_file_has_no_tracker_and_a_github_one_reads_back() -> None:
    assert config_from_mapping(with_tracker(None)).bug_tracker.enabled is False
    config = config_from_mapping(with_tracker({"kind": "github", "github": {"repo": "trackforce/platform"},
                                               "poll_every": "10 minutes"})).bug_tracker
    assert config.github == GitHubSettings(repo="trackforce/platform", api_url="https://api.github.com")
    assert config.poll_every is not None and config.poll_every.total_seconds() == 600


def test_mistakes_are_named_with_their_key_paths() -> None:
    found = problems({"kind": "gitlab", "githbu": {}, "poll_every": "2 business days"})
    assert any(p.startswith("bug_tracker.kind") and "github" in p for p in found)
    assert any(p.startswith("bug_tracker.githbu") and 'did you mean "github"' in p for p in found)
    assert any(p.startswith("bug_tracker.poll_every") and "real time" in p for p in found)
    found = problems({"kind": "jira", "jira": {"site": "trackforce.atlassian.net", "project_key": "plat"}})
    assert any(p.startswith("bug_tracker.jira.site") for p in found)
    assert any(p.startswith("bug_tracker.jira.project_key") for p in found)
    assert any(p.startswith("bug_tracker.github.repo") for p in problems({"kind": "github", "github": {"repo": "x"}}))


def test_credentials_come_from_the_environment_and_their_absence_is_named() -> None:
    github = BugTrackerConfig(kind="github", github=GitHubSettings(repo="a/b"))
    with pytest.raises(MissingCredential, match="GITHUB_TOKEN"):
        tracker_client(github, {})
    jira = BugTrackerConfig(kind="jira", jira=JiraSettings(site="https://x.atlassian.net", project_key="PLAT"))
    with pytest.raises(MissingCredential, match="JIRA_EMAIL"):
        tracker_client(jira, {"JIRA_API_TOKEN": "t"})
    with pytest.raises(MissingCredential, match="JIRA_API_TOKEN"):
        tracker_client(jira, {"JIRA_EMAIL": "a@b.c"})
    client = tracker_client(jira, {"JIRA_EMAIL": "a@b.c", "JIRA_API_TOKEN": "t"})
    assert client is not None and client.kind == "jira"
    client.close()
    assert tracker_client(BugTrackerConfig(kind="none"), {"GITHUB_TOKEN": "x"}) is None
    assert webhook_secret(replace(github, webhook_secret_env="HOOK"), {"HOOK": " s3cret "}) == "s3cret"
    assert webhook_secret(github, {}) is None


def test_the_trackers_package_and_the_bug_domain_import_no_slack() -> None:
    code = ("import sys, bot.trackers.github, bot.trackers.jira, bot.trackers.http, bot.trackers.body, "
            "sla_core.bugs.service, sla_core.bugs.polling; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('slack_sdk', 'slack_bolt')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
