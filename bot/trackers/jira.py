"""Jira Cloud, REST API v3: create an issue (its description in Atlassian Document
Format), read one, and find the one carrying a marker (a label, by JQL through
``POST /rest/api/3/search/jql``, paged with ``nextPageToken``). Basic auth with an
Atlassian account's e-mail and API token."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from bot.trackers.body import IssueDraft, adf_body
from bot.trackers.http import TIMEOUT, Api, TrackerFailure
from sla_core.bugs.reference import jira_ref
from sla_core.bugs.service import BugReport
from sla_core.config.bug_tracker import JiraSettings

FIELDS = ["summary", "status", "fixVersions", "resolution"]
MAX_PAGES = 10


class JiraTracker:
    kind = "jira"

    def __init__(self, settings: JiraSettings, email: str, token: str, *, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.api = Api(base_url=settings.site.rstrip("/"), client=client or httpx.Client(
            auth=(email, token), headers={"Accept": "application/json", "User-Agent": "astreinte"}, timeout=TIMEOUT))

    def create(self, draft: IssueDraft) -> BugReport:
        fields = {"project": {"key": self.settings.project_key}, "summary": draft.title,
                  "issuetype": {"name": self.settings.issue_type}, "description": adf_body(draft),
                  "labels": [draft.label]}
        created = self.api.call("POST", "/rest/api/3/issue", json={"fields": fields}).json()
        try:
            key = str(created["key"])
        except (KeyError, TypeError) as exc:
            raise TrackerFailure("permanent", f"Jira answered no key: {exc}") from exc
        # Its status as the project's workflow names it ("To Do"…), so that the first
        # webhook is not taken for a change. If this read fails, the job is retried, and
        # finds the issue by its label instead of creating it again.
        return self.get(key)

    def get(self, key: str) -> BugReport:
        issue = self.api.call("GET", f"/rest/api/3/issue/{key}", params={"fields": ",".join(FIELDS)}).json()
        return self.report(issue)

    def find_marked(self, marker: str, *, since: datetime) -> BugReport | None:
        label = IssueDraft(ticket_ref="", title="", product_version="", description="", code_sample="", impact="",
                           marker=marker).label
        body: dict[str, Any] = {"jql": f'project = "{self.settings.project_key}" AND labels = "{label}"',
                                "fields": FIELDS, "maxResults": 50}
        for _ in range(MAX_PAGES):
            page = self.api.call("POST", "/rest/api/3/search/jql", json=body).json()
            issues = page.get("issues") or []
            if issues:
                return self.report(issues[0])
            token = page.get("nextPageToken")
            if not token or page.get("isLast", True):
                return None
            body = {**body, "nextPageToken": token}
        return None

    def report(self, issue: dict[str, Any]) -> BugReport:
        return jira_report(self.settings, issue)

    def close(self) -> None:
        self.api.close()


def jira_report(settings: JiraSettings, issue: Any) -> BugReport:
    """What an issue object (REST answer or webhook payload) says: closed when its status
    is in the "done" category (with its resolution as the word, e.g. "Won't Do"), its
    fixVersions as the version a fix is planned in."""
    try:
        ref = jira_ref(settings, str(issue["key"]))
        fields = issue.get("fields") or {}
        status = fields.get("status") or {}
        done = (status.get("statusCategory") or {}).get("key") == "done"
        resolution = (fields.get("resolution") or {}).get("name")
        versions = [str(v["name"]) for v in fields.get("fixVersions") or [] if v.get("name")]
        return BugReport(tracker="jira", key=ref.key, url=ref.url, title=str(fields.get("summary") or ""),
                         state="closed" if done else "open",
                         status=str(resolution if done and resolution else status.get("name") or ""),
                         fix_version=", ".join(versions) or None)
    except (KeyError, TypeError, AttributeError) as exc:
        raise TrackerFailure("permanent", f"not a Jira issue: {exc!r}") from exc
