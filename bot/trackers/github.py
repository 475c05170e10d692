"""GitHub Issues, REST API (``2022-11-28``): create an issue, read one, and find the one
carrying a marker.

Finding a marker lists the repository's issues updated since shortly before the job was
written (``GET /repos/{repo}/issues?state=all&since=…``), following the ``Link: rel="next"``
pages, and reads their bodies. Not the search API: its index lags behind by seconds to
minutes, exactly when an issue created by a timed-out request must be found."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from bot.trackers.body import IssueDraft, markdown_body
from bot.trackers.http import TIMEOUT, Api, TrackerFailure
from sla_core.bugs.reference import github_ref
from sla_core.bugs.service import BugReport
from sla_core.config.bug_tracker import GitHubSettings

API_VERSION = "2022-11-28"
PAGE, MAX_PAGES = 100, 10


class GitHubTracker:
    kind = "github"

    def __init__(self, settings: GitHubSettings, token: str, *, client: httpx.Client | None = None) -> None:
        self.settings = settings
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": API_VERSION, "User-Agent": "astreinte"}
        self.api = Api(base_url=settings.api_url.rstrip("/"),
                       client=client or httpx.Client(headers=headers, timeout=TIMEOUT))

    @property
    def _issues(self) -> str:
        return f"/repos/{self.settings.repo}/issues"

    def create(self, draft: IssueDraft) -> BugReport:
        response = self.api.call("POST", self._issues, json={"title": draft.title, "body": markdown_body(draft)})
        return self.report(response.json())

    def get(self, key: str) -> BugReport:
        number = key.rpartition("#")[2]
        return self.report(self.api.call("GET", f"{self._issues}/{number}").json())

    def find_marked(self, marker: str, *, since: datetime) -> BugReport | None:
        wanted = f"astreinte-key: {marker} "
        url: str | None = self._issues
        params: dict[str, Any] | None = {"state": "all", "since": since.isoformat(), "sort": "created",
                                         "direction": "desc", "per_page": PAGE}
        for _ in range(MAX_PAGES):
            if url is None:
                return None
            response = self.api.call("GET", url, params=params)
            for issue in response.json():
                if "pull_request" not in issue and wanted in f"{issue.get('body') or ''} ":
                    return self.report(issue)
            url, params = response.links.get("next", {}).get("url"), None  # the next page's URL carries its query
        return None

    def report(self, issue: dict[str, Any]) -> BugReport:
        return github_report(self.settings, issue)

    def close(self) -> None:
        self.api.close()


def github_report(settings: GitHubSettings, issue: Any) -> BugReport:
    """What an issue object (REST answer or webhook payload) says: state, the reason it
    was closed (``state_reason``: completed, not_planned), its milestone as the version a
    fix is planned in."""
    try:
        number = int(issue["number"])
        ref = github_ref(settings, number, url=issue.get("html_url"))
        state = str(issue["state"])
        milestone = issue.get("milestone") or {}
        return BugReport(tracker="github", key=ref.key, url=ref.url, title=str(issue.get("title") or ""),
                         state="closed" if state == "closed" else "open",
                         status=str(issue.get("state_reason") or state),
                         fix_version=str(milestone.get("title")) if milestone.get("title") else None)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TrackerFailure("permanent", f"not an issue: {exc!r}") from exc
