"""`FakeSlack`: a recording fake of the Slack Web API, served over real HTTP on loopback.

Slack cannot be reached from CI or from `astreinte demo`, yet the code that talks to it
(slack_sdk's encoding, retries, timeouts, Bolt's `auth.test` at start-up) is where
production surprises live. So the fake speaks HTTP like Slack, keeps the state the bot
relies on (messages and their edits, threads, DMs, views, Home tabs) and records every
call. It always behaves: the tests' fault-injecting subclass (`tests/doubles`) overrides
`_answer_web_api` and `_answer_response_url` to misbehave on request.

    with FakeSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C1", text="hi")
        assert slack.messages("C1")[0].text == "hi"
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from bot.offline.fake_slack_http import FakeSlackServer, IncomingCall, Responder, start_server
from bot.offline.fake_slack_workspace import EphemeralMessage, FakeWorkspace, PostedMessage, UserProfile
from bot.offline.slack_params import SlackApiFailure

JsonDict = dict[str, Any]
T = TypeVar("T")
API_PREFIX = "/api/"
RESPONSE_URL_PREFIX = "/response/"


@dataclass(frozen=True, kw_only=True)
class RecordedCall:
    """One Web API request as the fake saw it, failed attempts included.

    `time` is `time.monotonic()`, to measure retry intervals. `outcome` is "ok" or
    "error:<code>" (a fault-injecting subclass adds its own: "http_429", "dropped"…).
    """

    method: str
    params: JsonDict
    token: str | None
    time: float
    outcome: str


@dataclass(frozen=True, kw_only=True)
class ResponseUrlPost:
    """One POST to a `response_url`, with Slack's defaults made explicit."""

    name: str
    body: JsonDict
    response_type: str
    replace_original: bool
    delete_original: bool
    time: float


class FakeSlack:
    """Context manager serving the fake on 127.0.0.1:<free port>; thread-safe throughout."""

    def __init__(
        self,
        *,
        team_id: str = "T0ASTRE1",
        team_domain: str = "astreinte-test",
        bot_user_id: str = "U0ASTBOT",
        bot_id: str = "B0ASTBOT",
        app_id: str = "A0ASTAPP",
    ) -> None:
        self._workspace = FakeWorkspace(
            team_id=team_id, team_domain=team_domain, bot_user_id=bot_user_id, bot_id=bot_id, app_id=app_id
        )
        self._changed = threading.Condition(threading.RLock())
        self._calls: list[RecordedCall] = []
        self._response_posts: list[ResponseUrlPost] = []
        self._response_channels: dict[str, str] = {}
        self._closing = threading.Event()
        self._server: FakeSlackServer | None = None
        self._thread: threading.Thread | None = None

    # ----- lifecycle ------------------------------------------------------------------

    def __enter__(self) -> FakeSlack:
        """Bind the port only here, so a FakeSlack never entered holds no socket."""
        self._server = self._start_server()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-slack", daemon=True
        )
        self._thread.start()
        return self

    def _start_server(self) -> FakeSlackServer:
        """Bound, not yet serving: a subclass may wrap its socket (HTTPS) before it serves."""
        return start_server(self)

    @property
    def _scheme(self) -> str:
        return "http"

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._closing.set()  # wakes answers a subclass delays, so shutdown does not wait for them
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()

    @property
    def root_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not serving: use it as `with FakeSlack() as slack:`")
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}"

    @property
    def connections_accepted(self) -> int:
        """How many connections clients have opened to the fake (calls on a kept-alive
        connection share one)."""
        return self._server.connections_accepted if self._server is not None else 0

    def close_idle_connections(self) -> None:
        """Close every kept-alive connection, as Slack's servers do after some idle time."""
        if self._server is not None:
            self._server.close_idle_connections()

    @property
    def base_url(self) -> str:
        """For `WebClient(base_url=...)`, which appends method names: ends with "/"."""
        return f"{self.root_url}{API_PREFIX}"

    def response_url(self, name: str, *, channel: str | None = None) -> str:
        """A `response_url` on the fake; with `channel`, in_channel answers post there."""
        with self._changed:
            if channel is not None:
                self._response_channels[name] = channel
        return f"{self.root_url}{RESPONSE_URL_PREFIX}{name}"

    # ----- configuration --------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        real_name: str,
        tz: str = "Europe/Paris",
        locale: str = "fr-FR",
        is_bot: bool = False,
        deleted: bool = False,
        email: str = "",
        team_id: str = "",
    ) -> None:
        """Make users.info (and users.lookupByEmail, by ``email``) know this person (unknown
        users get "user_not_found"); ``team_id``: another workspace's, for an external member."""
        profile = UserProfile(
            user_id=user_id, real_name=real_name, tz=tz, locale=locale, is_bot=is_bot, deleted=deleted, email=email,
            team_id=team_id,
        )
        with self._changed:
            self._workspace.users[user_id] = profile

    def set_usergroup(self, usergroup_id: str, user_ids: list[str]) -> None:
        with self._changed:
            self._workspace.usergroups[usergroup_id] = list(user_ids)

    def reset(self) -> None:
        """Forget calls, messages, views and responses; keep users and groups."""
        with self._changed:
            self._calls.clear()
            self._response_posts.clear()
            self._workspace.reset()
            self._changed.notify_all()

    # ----- what tests read --------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def messages(self, channel: str) -> list[PostedMessage]:
        """Every message posted in `channel` (thread replies included), in post order."""
        with self._changed:
            return list(self._workspace.messages.get(channel, []))

    def thread(self, channel: str, ts: str) -> list[PostedMessage]:
        """The replies to the message `ts`, oldest first, without the parent."""
        return [m for m in self.messages(channel) if m.is_reply and m.thread_ts == ts]

    def dm_channel(self, user_id: str) -> str:
        return FakeWorkspace.dm_channel_of(user_id)

    def dm(self, user_id: str) -> list[PostedMessage]:
        return self.messages(self.dm_channel(user_id))

    def home(self, user_id: str) -> JsonDict | None:
        """The Home tab last published for this user, if any."""
        with self._changed:
            return copy.deepcopy(self._workspace.homes.get(user_id))

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[EphemeralMessage]:
        with self._changed:
            return [
                e
                for e in self._workspace.ephemerals
                if (channel is None or e.channel == channel) and (user is None or e.user == user)
            ]

    def responses(self, name: str) -> list[ResponseUrlPost]:
        with self._changed:
            return [p for p in self._response_posts if p.name == name]

    def views_opened(self) -> list[JsonDict]:
        """Views from views.open and views.push, in order, as first opened."""
        with self._changed:
            return copy.deepcopy(self._workspace.views_opened)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Block until `predicate()` is truthy (re-checked on every change); return it.

        The predicate runs under the fake's lock: read the fake in it, never call it
        over HTTP. Raises TimeoutError listing the calls seen, to make failures readable.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [f"{c.method}:{c.outcome}" for c in self._calls]
                    raise TimeoutError(f"condition not met within {timeout}s; calls seen: {seen}")
                self._changed.wait(remaining)

    # ----- serving (called from the HTTP server's threads) ------------------------------

    def dispatch(self, call: IncomingCall, responder: Responder) -> None:
        if call.path.startswith(RESPONSE_URL_PREFIX):
            self._answer_response_url(call.path.removeprefix(RESPONSE_URL_PREFIX), call.params, responder)
        elif call.path.startswith(API_PREFIX):
            self._answer_web_api(call.path.removeprefix(API_PREFIX), call, responder)
        else:
            responder.send_json({"ok": False, "error": "not_found"}, status=404)

    def _answer_web_api(self, method: str, call: IncomingCall, responder: Responder) -> None:
        """Answer one Web API call; the seam where a fault-injecting subclass steps in."""
        responder.send_json(self._perform(method, call, outcome=None))

    def _perform(self, method: str, call: IncomingCall, *, outcome: str | None) -> JsonDict:
        """Run the method against the workspace and record it, atomically."""
        with self._changed:
            handler = self._workspace.handler_for(method)
            try:
                if handler is None:
                    raise SlackApiFailure("unknown_method")
                if not call.token:
                    raise SlackApiFailure("not_authed")
                body: JsonDict = {"ok": True, **handler(call.params)}
            except SlackApiFailure as failure:
                body = {"ok": False, "error": failure.error}
            self._record(method, call, outcome=outcome or ("ok" if body["ok"] else f"error:{body['error']}"))
            return body

    def _record(self, method: str, call: IncomingCall, *, outcome: str) -> None:
        with self._changed:
            params = copy.deepcopy(call.params)
            self._calls.append(
                RecordedCall(method=method, params=params, token=call.token, time=time.monotonic(), outcome=outcome)
            )
            self._changed.notify_all()

    def _answer_response_url(self, name: str, body: JsonDict, responder: Responder) -> None:
        self._record_response_post(name, body)
        responder.send_json({"ok": True})

    def _record_response_post(self, name: str, body: JsonDict) -> None:
        """Record a post to a response_url; an in_channel answer also posts in its channel."""
        post = ResponseUrlPost(
            name=name,
            body=copy.deepcopy(body),
            response_type=str(body.get("response_type") or "ephemeral"),
            replace_original=bool(body.get("replace_original")),
            delete_original=bool(body.get("delete_original")),
            time=time.monotonic(),
        )
        with self._changed:
            self._response_posts.append(post)
            channel = self._response_channels.get(name)
            if post.response_type == "in_channel" and channel is not None and not post.replace_original:
                self._workspace.chat_post_message({**body, "channel": channel})
            self._changed.notify_all()
