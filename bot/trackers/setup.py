"""The configured tracker's client and webhook secret, from the environment only:
``GITHUB_TOKEN``; ``JIRA_EMAIL`` and ``JIRA_API_TOKEN``; the webhook's secret in the
variable ``bug_tracker.webhook_secret_env`` names. A tracker configured without its
credentials stops ``astreinte serve`` with one line naming the variable (exit 2)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.context import BotContext
from bot.settings import MissingCredential
from bot.trackers.webhooks import TrackerWebhooks
from bot.trackers.github import GitHubTracker
from bot.trackers.jira import JiraTracker
from bot.trackers.worker import TrackerClient
from sla_core.config.bug_tracker import BugTrackerConfig


def tracker_client(config: BugTrackerConfig, environ: Mapping[str, str]) -> TrackerClient | None:
    """The client of the configured tracker; None when none is configured."""
    if config.kind == "github" and config.github is not None:
        token = environ.get("GITHUB_TOKEN", "").strip()
        if not token:
            raise MissingCredential("GITHUB_TOKEN", "a GitHub token allowed to read and write the repository's issues")
        return GitHubTracker(config.github, token)
    if config.kind == "jira" and config.jira is not None:
        email, token = environ.get("JIRA_EMAIL", "").strip(), environ.get("JIRA_API_TOKEN", "").strip()
        if not email:
            raise MissingCredential("JIRA_EMAIL", "the Atlassian account the API token belongs to")
        if not token:
            raise MissingCredential("JIRA_API_TOKEN", "an Atlassian API token")
        return JiraTracker(config.jira, email, token)
    return None


def webhook_secret(config: BugTrackerConfig, environ: Mapping[str, str]) -> str | None:
    """The webhook's shared secret; None (every webhook refused with 401) when unset."""
    secret = environ.get(config.webhook_secret_env, "").strip() if config.enabled else ""
    return secret or None


def tracker_webhooks(ctx: BotContext, environ: Mapping[str, str]) -> TrackerWebhooks | None:
    """The webhook endpoints of the configured tracker (None: no tracker, no endpoints)."""
    if not ctx.bug_tracker.enabled:
        return None
    return TrackerWebhooks(ctx, secret=webhook_secret(ctx.bug_tracker, environ))
