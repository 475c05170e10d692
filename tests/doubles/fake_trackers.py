"""Fake GitHub and Jira Cloud REST APIs on loopback, speaking their documented shapes, and
their webhooks with real signatures.

GitHub (REST ``2022-11-28``): ``POST /repos/{o}/{r}/issues`` (201, the issue object),
``GET /repos/{o}/{r}/issues/{n}`` (200, or 404 ``{"message": "Not Found"}``), ``GET
/repos/{o}/{r}/issues?state=all&since=…&per_page=…&page=…`` (newest first, ``Link:
<…>; rel="next", <…>; rel="last"``), bearer token checked (401 ``Bad credentials``);
every answer carries ``X-RateLimit-Limit/Remaining/Reset/Used``.

Jira Cloud (REST v3): ``POST /rest/api/3/issue`` (201 ``{id, key, self}``; 400
``{errorMessages, errors}`` when the description is not an ADF document), ``GET
/rest/api/3/issue/{key}`` (404 "Issue does not exist…"), ``POST /rest/api/3/search/jql``
(``labels = "…"`` only; ``nextPageToken`` and ``isLast``), basic auth checked.

Faults, queued per operation (``create``, ``get``, ``list``, ``search``): an HTTP status
with its headers (429 + ``Retry-After``, 403 + ``X-RateLimit-Remaining: 0`` +
``X-RateLimit-Reset``, 502 …), or a hang-up: before doing anything, or *after* doing the
work (the issue exists, the answer never arrives: the outcome the client cannot know)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass(frozen=True, kw_only=True)
class Fault:
    status: int = 0  # an HTTP answer instead of the real one
    headers: dict[str, str] = field(default_factory=dict)
    hang_up: bool = False  # close the connection without answering
    after_work: bool = False  # with hang_up: do the work first (the issue is created)
    late: float = 0.0  # do the work, then answer only this many seconds later (past the client's timeout)


@dataclass
class Call:
    op: str
    method: str
    path: str
    body: Any


class FakeTracker:
    """The HTTP server and the fault plan both fakes share."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._closing = threading.Event()
        self.calls: list[Call] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> FakeTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fail_next(self, op: str, fault: Fault, *, count: int = 1) -> None:
        with self._lock:
            self._faults[op].extend([fault] * count)

    def calls_of(self, op: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.op == op]

    # ----- for the subclasses ------------------------------------------------------------------
    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any,
              headers: dict[str, str]) -> tuple[str, Any]:
        """(operation name, handler returning (status, body, headers))."""
        raise NotImplementedError

    def authorized(self, headers: dict[str, str]) -> bool:
        raise NotImplementedError

    def unauthorized(self) -> tuple[int, Any, dict[str, str]]:
        return 401, {"message": "Bad credentials"}, {}

    def common_headers(self) -> dict[str, str]:
        return {}

    # ----- the HTTP side -------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                size = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(size) if size else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                headers = {k.lower(): v for k, v in self.headers.items()}
                op, work = fake.route(self.command, parts.path, parse_qs(parts.query), body, headers)
                with fake._lock:
                    fake.calls.append(Call(op=op, method=self.command, path=self.path, body=body))
                    fault = fake._faults[op].popleft() if fake._faults[op] else None
                if fault is not None and fault.hang_up:
                    if fault.after_work and fake.authorized(headers):
                        work()
                    self.close_connection = True
                    self.connection.shutdown(2)  # the answer never comes
                    return
                if fault is not None and fault.late:
                    answer_now = fake.authorized(headers)
                    status, answer, extra = work() if answer_now else fake.unauthorized()
                    fake._closing.wait(fault.late)  # the client gives up meanwhile; released at close
                elif not fake.authorized(headers):
                    status, answer, extra = fake.unauthorized()
                elif fault is not None:
                    status, answer, extra = fault.status, _error_body(fault.status), fault.headers
                else:
                    status, answer, extra = work()
                data = json.dumps(answer).encode() if answer is not None else b""
                try:
                    self.send_response(status)
                    for name, value in {**fake.common_headers(), **extra}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # a late answer: the client has gone
                    self.close_connection = True

            do_GET = do_POST = do_PATCH = _serve

        return Handler


def _error_body(status: int) -> dict[str, Any]:
    if status in (403, 429):
        return {"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com/rest/rate-limit"}
    return {"message": "Server Error"} if status >= 500 else {"message": f"HTTP {status}"}


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- GitHub -----------------------------------------------------------------------------------------
class FakeGitHub(FakeTracker):
    def __init__(self, *, repo: str = "trackforce/platform", token: str = "ghp_test") -> None:
        self.repo, self.token = repo, token
        self.issues: dict[int, dict[str, Any]] = {}
        super().__init__()

    @property
    def web_url(self) -> str:
        return self.base_url  # api_url is the fake's base URL: the web links are there too

    def authorized(self, headers: dict[str, str]) -> bool:
        return headers.get("authorization") == f"Bearer {self.token}"

    def common_headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999",
                "X-RateLimit-Reset": str(int(time.time()) + 3600), "X-RateLimit-Used": "1",
                "X-GitHub-Api-Version-Selected": "2022-11-28"}

    def add_issue(self, title: str, body: str = "", *, state: str = "open", state_reason: str | None = None,
                  milestone: str | None = None) -> dict[str, Any]:
        with self._lock:
            number = len(self.issues) + 1
            issue = {
                "id": 1000 + number, "node_id": f"I_{number}", "number": number, "title": title, "body": body,
                "state": state, "state_reason": state_reason, "locked": False, "comments": 0,
                "html_url": f"{self.web_url}/{self.repo}/issues/{number}",
                "url": f"{self.base_url}/repos/{self.repo}/issues/{number}",
                "milestone": {"number": 1, "title": milestone, "state": "open"} if milestone else None,
                "labels": [], "user": {"login": "astreinte-bot", "id": 1, "type": "Bot"},
                "created_at": _now_iso(), "updated_at": _now_iso(), "closed_at": None,
            }
            self.issues[number] = issue
            return issue

    def set_state(self, number: int, *, state: str, state_reason: str | None = None,
                  milestone: str | None = None) -> dict[str, Any]:
        with self._lock:
            issue = self.issues[number]
            issue.update(state=state, state_reason=state_reason, updated_at=_now_iso(),
                         closed_at=_now_iso() if state == "closed" else None)
            if milestone is not None:
                issue["milestone"] = {"number": 1, "title": milestone, "state": "open"}
            return dict(issue)

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any,
              headers: dict[str, str]) -> tuple[str, Any]:
        base = f"/repos/{self.repo}/issues"
        if method == "POST" and path == base:
            def create() -> tuple[int, Any, dict[str, str]]:
                if not isinstance(body, dict) or not body.get("title"):
                    return 422, {"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title",
                                                                              "code": "missing_field"}]}, {}
                return 201, self.add_issue(str(body["title"]), str(body.get("body") or "")), {}
            return "create", create
        match = re.fullmatch(re.escape(base) + r"/(\d+)", path)
        if method == "GET" and match:
            number = int(match[1])

            def get() -> tuple[int, Any, dict[str, str]]:
                issue = self.issues.get(number)
                if issue is None:
                    return 404, {"message": "Not Found",
                                 "documentation_url": "https://docs.github.com/rest/issues/issues#get-an-issue"}, {}
                return 200, issue, {}
            return "get", get
        if method == "GET" and path == base:
            return "list", lambda: self._list(query)
        return "unknown", lambda: (404, {"message": "Not Found"}, {})

    def _list(self, query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        since = query.get("since", [""])[0]
        with self._lock:
            issues = sorted(self.issues.values(), key=lambda i: i["number"], reverse=True)
        if since:  # "only issues updated at or after this time"
            cutoff = datetime.fromisoformat(since.replace("Z", "+00:00"))
            issues = [i for i in issues if datetime.fromisoformat(i["updated_at"].replace("Z", "+00:00")) >= cutoff]
        pages = max((len(issues) + per_page - 1) // per_page, 1)
        chunk = issues[(page - 1) * per_page: page * per_page]
        links = []

        def link(n: int, rel: str) -> str:
            params = {k: v[0] for k, v in query.items()}
            params["page"] = str(n)
            return f'<{self.base_url}/repos/{self.repo}/issues?{urlencode(params)}>; rel="{rel}"'
        if page < pages:
            links += [link(page + 1, "next"), link(pages, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})


def github_webhook(secret: str, *, action: str, issue: dict[str, Any], repo: str) -> tuple[bytes, dict[str, str]]:
    """An ``issues`` event as GitHub delivers it: body and headers, signed."""
    payload = {"action": action, "issue": issue,
               "repository": {"id": 1, "name": repo.split("/")[1], "full_name": repo, "private": True},
               "sender": {"login": "dev", "id": 2, "type": "User"}}
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-GitHub-Event": "issues",
                 "X-GitHub-Delivery": str(uuid.uuid4()), "X-GitHub-Hook-ID": "42",
                 "User-Agent": "GitHub-Hookshot/abc123", "X-Hub-Signature-256": signature}


# ---- Jira Cloud ---------------------------------------------------------------------------------
class FakeJira(FakeTracker):
    def __init__(self, *, project: str = "PLAT", email: str = "bot@trackforce.com", token: str = "jira-token",
                 page_size: int = 50) -> None:
        self.project, self.email, self.token, self.page_size = project, email, token, page_size
        self.issues: dict[str, dict[str, Any]] = {}
        super().__init__()

    def authorized(self, headers: dict[str, str]) -> bool:
        expected = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
        return headers.get("authorization") == f"Basic {expected}"

    def unauthorized(self) -> tuple[int, Any, dict[str, str]]:
        return 401, {"errorMessages": ["You do not have permission to see the requested resource."]}, {}

    def add_issue(self, summary: str, *, labels: tuple[str, ...] = (), description: Any = None) -> dict[str, Any]:
        with self._lock:
            number = len(self.issues) + 1
            key = f"{self.project}-{number}"
            issue = {"id": str(10000 + number), "key": key, "self": f"{self.base_url}/rest/api/3/issue/{10000 + number}",
                     "fields": {"summary": summary, "labels": list(labels), "description": description,
                                "status": _jira_status("To Do", "new"), "fixVersions": [], "resolution": None}}
            self.issues[key] = issue
            return issue

    def set_status(self, key: str, name: str, category: str, *, fix_version: str | None = None,
                   resolution: str | None = None) -> dict[str, Any]:
        with self._lock:
            fields = self.issues[key]["fields"]
            fields["status"] = _jira_status(name, category)
            if fix_version:
                fields["fixVersions"] = [{"id": "10100", "name": fix_version, "released": False}]
            fields["resolution"] = {"name": resolution} if resolution else None
            return json.loads(json.dumps(self.issues[key]))

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any,
              headers: dict[str, str]) -> tuple[str, Any]:
        if method == "POST" and path == "/rest/api/3/issue":
            return "create", lambda: self._create(body)
        match = re.fullmatch(r"/rest/api/3/issue/([A-Z][A-Z0-9_]*-\d+)", path)
        if method == "GET" and match:
            key = match[1]

            def get() -> tuple[int, Any, dict[str, str]]:
                issue = self.issues.get(key)
                if issue is None:
                    return 404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."],
                                 "errors": {}}, {}
                return 200, issue, {}
            return "get", get
        if method == "POST" and path == "/rest/api/3/search/jql":
            return "search", lambda: self._search(body)
        return "unknown", lambda: (404, {"errorMessages": ["Not found"], "errors": {}}, {})

    def _create(self, body: Any) -> tuple[int, Any, dict[str, str]]:
        fields = (body or {}).get("fields") or {}
        errors = {}
        if (fields.get("project") or {}).get("key") != self.project:
            errors["project"] = "valid project is required"
        if not fields.get("summary"):
            errors["summary"] = "You must specify a summary of the issue."
        description = fields.get("description")
        if not (isinstance(description, dict) and description.get("type") == "doc" and description.get("version") == 1):
            errors["description"] = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
        if errors:
            return 400, {"errorMessages": [], "errors": errors}, {}
        issue = self.add_issue(str(fields["summary"]), labels=tuple(fields.get("labels") or ()),
                               description=description)
        return 201, {"id": issue["id"], "key": issue["key"], "self": issue["self"]}, {}

    def _search(self, body: Any) -> tuple[int, Any, dict[str, str]]:
        jql = str((body or {}).get("jql") or "")
        label = re.search(r'labels\s*=\s*"([^"]+)"', jql)
        with self._lock:
            found = [i for i in self.issues.values() if label and label[1] in i["fields"]["labels"]]
        start = int((body or {}).get("nextPageToken") or 0)
        size = min(int((body or {}).get("maxResults") or 50), self.page_size)
        chunk = found[start:start + size]
        answer: dict[str, Any] = {"issues": chunk, "isLast": start + size >= len(found)}
        if not answer["isLast"]:
            answer["nextPageToken"] = str(start + size)
        return 200, answer, {}


def _jira_status(name: str, category: str) -> dict[str, Any]:
    return {"name": name, "id": "1", "statusCategory": {"id": 2, "key": category,
                                                        "name": {"new": "To Do", "indeterminate": "In Progress",
                                                                 "done": "Done"}.get(category, category)}}


def jira_webhook(secret: str, *, issue: dict[str, Any], event: str = "jira:issue_updated",
                 changelog: list[dict[str, str]] | None = None) -> tuple[bytes, dict[str, str]]:
    """A Jira Cloud admin webhook's delivery, signed as such webhooks with a secret are
    (``X-Hub-Signature: sha256=<HMAC-SHA256 of the body>``)."""
    payload = {"timestamp": int(time.time() * 1000), "webhookEvent": event,
               "issue_event_type_name": "issue_generic", "user": {"accountId": "5b10a2844c20165700ede21g"},
               "issue": issue, "changelog": {"id": "10001", "items": changelog or []}}
    raw = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-Hub-Signature": signature,
                 "X-Atlassian-Webhook-Identifier": str(uuid.uuid4())}
