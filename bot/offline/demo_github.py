"""The demo's offline GitHub: the few Issues REST calls the bot's tracker client makes
(create, get, list by ``since``), served on loopback as WSGI, and the ``issues`` webhook a
repository sends when an issue changes, signed as GitHub signs it.

It is the demo's world, not a test double: it never fails on request. Its ``html_url``
is github.com's, so that the printed story does not depend on the loopback port."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

REPO = "trackforce/platform"
TOKEN = "ghp_astreinte_demo"  # what the demo's tracker client sends; anything else gets 401
WEB = "https://github.com"

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class DemoGitHub:
    """Issues of one repository, in memory; ``clock`` stamps their times."""

    def __init__(self, clock: Callable[[], datetime], *, repo: str = REPO, token: str = TOKEN) -> None:
        self.repo, self.token, self.clock = repo, token, clock
        self.issues: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()

    # ----- what the repository's people do --------------------------------------------------
    def close(self, number: int, *, milestone: str) -> dict[str, Any]:
        """The developers ship the fix: the issue closed as completed, in ``milestone``."""
        with self._lock:
            issue = self.issues[number]
            issue.update(state="closed", state_reason="completed", updated_at=self._now(), closed_at=self._now(),
                         milestone={"number": 1, "title": milestone, "state": "open"})
            return dict(issue)

    # ----- the REST API ----------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}":
            return _answer(start_response, 401, {"message": "Bad credentials"})
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        base = f"/repos/{self.repo}/issues"
        if method == "POST" and path == base:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if not isinstance(body, dict) or not body.get("title"):
                return _answer(start_response, 422, {"message": "Validation Failed"})
            return _answer(start_response, 201, self._create(str(body["title"]), str(body.get("body") or "")))
        found = re.fullmatch(re.escape(base) + r"/(\d+)", path)
        if method == "GET" and found:
            issue = self.issues.get(int(found[1]))
            return _answer(start_response, 200, issue) if issue else _answer(start_response, 404,
                                                                            {"message": "Not Found"})
        if method == "GET" and path == base:  # the demo's few issues fit one page: no Link header
            with self._lock:
                listed = sorted(self.issues.values(), key=lambda i: i["number"], reverse=True)
            return _answer(start_response, 200, listed)
        return _answer(start_response, 404, {"message": "Not Found"})

    def _create(self, title: str, body: str) -> dict[str, Any]:
        with self._lock:
            number = len(self.issues) + 1
            self.issues[number] = {
                "id": 1000 + number, "number": number, "title": title, "body": body, "state": "open",
                "state_reason": None, "html_url": f"{WEB}/{self.repo}/issues/{number}", "milestone": None,
                "labels": [], "user": {"login": "astreinte-bot", "type": "Bot"}, "comments": 0,
                "created_at": self._now(), "updated_at": self._now(), "closed_at": None}
            return dict(self.issues[number])

    def _now(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issues_webhook(secret: str, *, action: str, issue: dict[str, Any], repo: str = REPO) -> tuple[bytes, dict[str, str]]:
    """An ``issues`` event as GitHub delivers it: the raw body and its headers, with
    ``X-Hub-Signature-256`` the HMAC-SHA256 of the body under the webhook's secret."""
    payload = {"action": action, "issue": issue,
               "repository": {"name": repo.split("/")[1], "full_name": repo, "private": True},
               "sender": {"login": "trackforce-dev", "type": "User"}}
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-GitHub-Event": "issues",
                 "X-GitHub-Delivery": f"demo-{issue['number']}-{action}", "X-Hub-Signature-256": signature}


def _answer(start_response: StartResponse, status: int, body: Any) -> list[bytes]:
    raw = json.dumps(body).encode()
    reason = {200: "OK", 201: "Created", 401: "Unauthorized", 404: "Not Found", 422: "Unprocessable Entity"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json; charset=utf-8"),
                                          ("Content-Length", str(len(raw))), ("X-RateLimit-Remaining", "4999")])
    return [raw]
