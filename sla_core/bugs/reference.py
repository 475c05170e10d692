"""An issue of the configured tracker, named the way agents paste it: its URL, or its key
(GitHub ``owner/name#42``, ``#42`` or ``42`` in the configured repository; Jira ``PLAT-12``).
Only issues of the configured repository or Jira site are accepted: the webhook and the
polling watch those alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sla_core.config.bug_tracker import BugTrackerConfig, GitHubSettings, JiraSettings
from sla_core.tickets.errors import TicketError

_GITHUB_KEY = re.compile(r"(?:(?P<repo>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+))?#?(?P<number>[1-9][0-9]{0,9})")
_GITHUB_PATH = re.compile(r"/(?P<repo>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)/(?:issues|pull)/(?P<number>[1-9][0-9]{0,9})/?")
_JIRA_KEY = re.compile(r"(?P<key>[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]{0,9})")


@dataclass(frozen=True, kw_only=True)
class BugRef:
    tracker: str  # github | jira
    key: str  # owner/name#42 | PLAT-12
    url: str  # where a person reads it

    @property
    def number(self) -> str:
        """What the tracker's API calls it: the issue number (GitHub) or the key (Jira)."""
        return self.key.rpartition("#")[2] if self.tracker == "github" else self.key


def github_web_url(settings: GitHubSettings) -> str:
    """The web address matching the API's: api.github.com → github.com, GHES's
    ``https://HOST/api/v3`` → ``https://HOST``, anything else (a proxy, a test) as it is."""
    parts = urlsplit(settings.api_url)
    if parts.netloc == "api.github.com":
        return "https://github.com"
    if parts.path.rstrip("/").endswith("/api/v3"):
        return f"{parts.scheme}://{parts.netloc}"
    return settings.api_url.rstrip("/")


def github_ref(settings: GitHubSettings, number: int | str, url: str | None = None) -> BugRef:
    key = f"{settings.repo}#{number}"
    return BugRef(tracker="github", key=key, url=url or f"{github_web_url(settings)}/{settings.repo}/issues/{number}")


def jira_ref(settings: JiraSettings, key: str) -> BugRef:
    return BugRef(tracker="jira", key=key, url=f"{settings.site}/browse/{key}")


def parse_reference(tracker: BugTrackerConfig, text: str) -> BugRef:
    """The issue ``text`` names in ``tracker``; ``TicketError`` (``bug_reference_invalid``,
    on the ``bug`` field) when it names none of it."""
    written = text.strip()
    if tracker.kind == "github" and tracker.github is not None:
        found = _github(tracker.github, written)
    elif tracker.kind == "jira" and tracker.jira is not None:
        found = _jira(tracker.jira, written)
    else:
        raise TicketError("no bug tracker is configured", code="bug_tracker_off")
    if found is None:
        raise TicketError(f"{written!r} names no issue of the {tracker.kind} tracker", code="bug_reference_invalid",
                          field="bug", bug=written, tracker=tracker.kind)
    return found


def _github(settings: GitHubSettings, written: str) -> BugRef | None:
    if "://" in written:
        parts = urlsplit(written)
        match = _GITHUB_PATH.fullmatch(parts.path)
        web = urlsplit(github_web_url(settings))
        if match is None or parts.netloc.lower() != web.netloc.lower():
            return None
        repo, number = match["repo"], match["number"]
    else:
        match = _GITHUB_KEY.fullmatch(written)
        if match is None:
            return None
        repo, number = match["repo"] or settings.repo, match["number"]
    if repo.lower() != settings.repo.lower():
        return None
    return github_ref(settings, number)


def _jira(settings: JiraSettings, written: str) -> BugRef | None:
    if "://" in written:
        parts = urlsplit(written)
        if parts.netloc.lower() != urlsplit(settings.site).netloc.lower():
            return None
        match = re.fullmatch(r"/browse/" + _JIRA_KEY.pattern + "/?", parts.path)
    else:
        match = _JIRA_KEY.fullmatch(written.upper())
    if match is None or not match["key"].startswith(f"{settings.project_key}-"):
        return None
    return jira_ref(settings, match["key"])
