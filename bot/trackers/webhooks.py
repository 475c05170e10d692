"""``POST /webhooks/github`` and ``POST /webhooks/jira``: the tracker tells us an issue
changed. Served by the bot's own server (``bot/server.py``), beside ``/slack/events``.

The door, before anything is read:
1. the body's size (413 past 1 MiB);
2. the signature (401, nothing changed): HMAC-SHA256 of the raw body with the shared
   secret (``bug_tracker.webhook_secret_env``), compared in constant time — GitHub sends it
   in ``X-Hub-Signature-256: sha256=<hex>``, Jira Cloud's admin webhooks in
   ``X-Hub-Signature: sha256=<hex>`` (the WebSub form). No secret configured: every
   request is refused;
3. JSON (400).

Then: an issue of another repository or project, an event that is not about an issue's
state (comments above all: never read, never relayed), or an issue linked to no ticket,
is answered 202 and logged as ignored. A known issue's news goes through
``sla_core.bugs.service.tracker_reports`` (each linked ticket's thread told, its reporter
told what a customer may see), answered 200."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.context import BotContext
from bot.trackers.github import github_report
from bot.trackers.http import TrackerFailure
from bot.trackers.jira import jira_report
from sla_core.bugs.service import BugReport, tracker_reports

log = logging.getLogger("astreinte.trackers.webhooks")

MAX_BODY_BYTES = 1 << 20
GITHUB_PATH, JIRA_PATH = "/webhooks/github", "/webhooks/jira"
PATHS = (GITHUB_PATH, JIRA_PATH)
# GitHub "issues" actions that change what we track: state, its reason, the milestone.
GITHUB_ACTIONS = frozenset({"opened", "closed", "reopened", "milestoned", "demilestoned", "edited"})
JIRA_EVENTS = frozenset({"jira:issue_updated", "jira:issue_created"})


@dataclass(frozen=True, kw_only=True)
class Answer:
    status: int
    body: dict[str, Any]


def signature_ok(secret: str | None, raw: bytes, header: str | None) -> bool:
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256="):].strip().lower())


class TrackerWebhooks:
    def __init__(self, ctx: BotContext, *, secret: str | None) -> None:
        self.ctx, self.secret = ctx, secret

    def handle(self, path: str, headers: Mapping[str, str], raw: bytes) -> Answer:
        """``headers`` lower-cased."""
        tracker = self.ctx.bug_tracker
        header = "x-hub-signature-256" if path == GITHUB_PATH else "x-hub-signature"
        if not signature_ok(self.secret, raw, headers.get(header)):
            log.warning("webhook %s refused: %s", path, "no secret configured" if not self.secret
                        else f"missing or wrong {header}")
            return Answer(status=401, body={"error": "bad signature"})
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return Answer(status=400, body={"error": "not JSON"})
        if not isinstance(payload, dict):
            return Answer(status=400, body={"error": "not a JSON object"})
        try:
            if path == GITHUB_PATH:
                report = self._github(headers.get("x-github-event", ""), payload) \
                    if tracker.kind == "github" and tracker.github else None
            else:
                report = self._jira(payload) if tracker.kind == "jira" and tracker.jira else None
        except TrackerFailure as bad:
            log.warning("webhook %s: not an issue we can read (%s)", path, bad.error)
            return Answer(status=400, body={"error": "not an issue"})
        if report is None:
            return Answer(status=202, body={"ignored": True})
        heard = tracker_reports(self.ctx.uow(), policy=self.ctx.policy, support=self.ctx.support, report=report,
                                now=self.ctx.now())
        if not heard.known:
            log.info("webhook: %s %s is linked to no ticket; ignored", report.tracker, report.key,
                     extra={"bug": report.key})
            return Answer(status=202, body={"ignored": True, "unknown": report.key})
        if heard.changed:
            self.ctx.wake_sender()
        return Answer(status=200, body={"bug": report.key, "tickets": list(heard.changed)})

    def _github(self, event: str, payload: dict[str, Any]) -> BugReport | None:
        settings = self.ctx.bug_tracker.github
        assert settings is not None
        if event != "issues" or payload.get("action") not in GITHUB_ACTIONS:
            log.info("webhook: GitHub event %s/%s ignored", event, payload.get("action"))
            return None
        repo = str((payload.get("repository") or {}).get("full_name") or "")
        if repo.lower() != settings.repo.lower():
            log.info("webhook: an issue of %s, not of %s; ignored", repo, settings.repo)
            return None
        return github_report(settings, payload.get("issue"))

    def _jira(self, payload: dict[str, Any]) -> BugReport | None:
        settings = self.ctx.bug_tracker.jira
        assert settings is not None
        if payload.get("webhookEvent") not in JIRA_EVENTS:
            log.info("webhook: Jira event %s ignored", payload.get("webhookEvent"))
            return None
        issue = payload.get("issue") or {}
        if not str(issue.get("key") or "").startswith(f"{settings.project_key}-"):
            log.info("webhook: Jira issue %s is not of project %s; ignored", issue.get("key"), settings.project_key)
            return None
        return jira_report(settings, issue)
