"""The ``bug_tracker`` section of ``app.yaml``: where agents file the bugs a ticket needs
(GitHub Issues or Jira Cloud), and how the tracker tells us back (a signed webhook, or
polling of the linked open bugs). Credentials never live here: they come from the
environment (``GITHUB_TOKEN``; ``JIRA_EMAIL`` and ``JIRA_API_TOKEN``), and the webhook's
secret from the variable named by ``webhook_secret_env``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sla_core.config.reader import BAD, Problems, Section, did_you_mean, ok, text
from sla_core.durations import parse_duration

KINDS = ("github", "jira", "none")
BUG_TRACKER_KEYS = ("kind", "github", "jira", "webhook_secret_env", "poll_every")
GITHUB_KEYS = ("repo", "api_url")
JIRA_KEYS = ("site", "project_key", "issue_type")
_REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")
_PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]{1,9}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


@dataclass(frozen=True, kw_only=True)
class GitHubSettings:
    repo: str  # owner/name
    api_url: str = "https://api.github.com"


@dataclass(frozen=True, kw_only=True)
class JiraSettings:
    site: str  # https://your-domain.atlassian.net
    project_key: str
    issue_type: str = "Bug"


@dataclass(frozen=True, kw_only=True)
class BugTrackerConfig:
    kind: str  # github | jira | none
    github: GitHubSettings | None = None
    jira: JiraSettings | None = None
    webhook_secret_env: str = "ASTREINTE_TRACKER_WEBHOOK_SECRET"
    poll_every: timedelta | None = None  # None: no polling (the webhook tells us)

    @property
    def enabled(self) -> bool:
        return self.kind != "none"


NO_TRACKER = BugTrackerConfig(kind="none")


def read_bug_tracker(top: Section, problems: Problems) -> BugTrackerConfig:
    if not top.has("bug_tracker"):
        return NO_TRACKER
    section = top.sub("bug_tracker", BUG_TRACKER_KEYS)
    kind = section.read("kind", _kind, default="none")
    github = _github(section.sub("github", GITHUB_KEYS, required=kind == "github")) \
        if section.has("github") or kind == "github" else None
    jira = _jira(section.sub("jira", JIRA_KEYS, required=kind == "jira")) \
        if section.has("jira") or kind == "jira" else None
    secret_env = section.read("webhook_secret_env", _env_name, default="ASTREINTE_TRACKER_WEBHOOK_SECRET")
    poll_every = section.read("poll_every", _poll_every, default=None)
    if not ok(kind, github, jira, secret_env, poll_every):
        return BAD  # type: ignore[no-any-return]
    return BugTrackerConfig(kind=kind, github=github, jira=jira, webhook_secret_env=secret_env,
                            poll_every=poll_every)


def _github(section: Section) -> GitHubSettings:
    repo = section.read("repo", _repo, missing="missing (owner/name, e.g. trackforce/platform)")
    api_url = section.read("api_url", _http_url, default="https://api.github.com")
    if not ok(repo, api_url):
        return BAD  # type: ignore[no-any-return]
    return GitHubSettings(repo=repo, api_url=api_url)


def _jira(section: Section) -> JiraSettings:
    site = section.read("site", _http_url, missing="missing (e.g. https://trackforce.atlassian.net)")
    project = section.read("project_key", _project_key, missing="missing (e.g. PLAT)")
    issue_type = section.read("issue_type", text, default="Bug")
    if not ok(site, project, issue_type):
        return BAD  # type: ignore[no-any-return]
    return JiraSettings(site=site, project_key=project, issue_type=issue_type)


def _kind(value: object) -> str:
    if value not in KINDS:
        raise ValueError(f'"{value}" is not one of: {", ".join(KINDS)}; {did_you_mean(str(value), KINDS)}')
    return str(value)


def _repo(value: object) -> str:
    if not isinstance(value, str) or not _REPO.fullmatch(value):
        raise ValueError(f"{value!r} is not a GitHub repository written owner/name")
    return value


def _http_url(value: object) -> str:
    parts = urlsplit(str(value)) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return str(value).rstrip("/")


def _project_key(value: object) -> str:
    if not isinstance(value, str) or not _PROJECT_KEY.fullmatch(value):
        raise ValueError(f"{value!r} is not a Jira project key (capital letters and digits, e.g. PLAT)")
    return value


def _env_name(value: object) -> str:
    if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
        raise ValueError(f"{value!r} is not an environment variable name (e.g. ASTREINTE_TRACKER_WEBHOOK_SECRET)")
    return value


def _poll_every(value: object) -> timedelta:
    span = parse_duration(value)
    if span.business:
        raise ValueError(f"{value!r}: polling counts real time, not business time")
    result = span.to_timedelta(business_day=timedelta(hours=9))
    if result < timedelta(minutes=1):
        raise ValueError(f"{value!r} is too often: a tracker's rate limits want at least 1 minute")
    return result
