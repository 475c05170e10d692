"""Which language to speak to a user: their preference (App Home), else their Slack locale
(``users.info(include_locale=True)``, cached — payloads carry none), else app.yaml's
default.

An ack must never wait on Slack (it has 3 s, and ``users.info`` may be slow or rate
limited). So while a request is being answered (``answering()``, around Bolt's dispatch
in ``bot/app.py``) a user whose Slack locale is not cached yet is answered in their
stored preference or the default language, and collected; their locale is looked up
right after the answer, for the messages that follow."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from messages import language_of

log = logging.getLogger(__name__)

PREFERENCE_TTL = 60.0  # seconds

# Set while an answer is being prepared: the users whose locale was needed but not cached.
# A context variable, not a flag: the work after the ack runs on other threads, unmarked.
_answering: ContextVar[set[str] | None] = ContextVar("astreinte_answering", default=None)


class LanguageResolver:
    def __init__(self, *, client: WebClient, default: str,
                 preference: Callable[[str], str | None] = lambda _user: None,
                 ttl_seconds: float = 24 * 3600) -> None:
        self._client = client
        self._default = default
        self._preference = preference
        self._ttl = ttl_seconds
        self._cache: dict[str, tuple[float, str | None]] = {}
        self._preferences: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def for_user(self, user_id: str | None) -> str:
        if not user_id:
            return self._default
        preferred = language_of(self._stored(user_id))
        if preferred:
            return preferred
        return self.slack_locale(user_id) or self._default

    def _stored(self, user_id: str) -> str | None:
        """The user's stored choice, cached briefly: every message rendered for them asks,
        and a change made on another replica shows within ``PREFERENCE_TTL``."""
        now = time.monotonic()
        with self._lock:
            hit = self._preferences.get(user_id)
            if hit and now - hit[0] < PREFERENCE_TTL:
                return hit[1]
        value = self._preference(user_id)
        with self._lock:
            self._preferences[user_id] = (now, value)
        return value

    @staticmethod
    @contextmanager
    def answering() -> Iterator[set[str]]:
        """Within: never ask Slack. Yields the users whose locale should be looked up once
        the answer is gone."""
        unknown: set[str] = set()
        token = _answering.set(unknown)
        try:
            yield unknown
        finally:
            _answering.reset(token)

    def slack_locale(self, user_id: str) -> str | None:
        with self._lock:
            hit = self._cache.get(user_id)
            if hit and time.monotonic() - hit[0] < self._ttl:
                return hit[1]
        unknown = _answering.get()
        if unknown is not None:  # an ack is waiting: the default language now, the look-up later
            unknown.add(user_id)
            return None
        try:
            info = self._client.users_info(user=user_id, include_locale=True)
            language = language_of(info.get("user", {}).get("locale"))
        except SlackApiError as exc:  # an unknown user speaks the default language
            log.info("users.info failed for %s: %s", user_id, exc.response.get("error"))
            language = None
        with self._lock:
            self._cache[user_id] = (time.monotonic(), language)
        return language

    def forget(self, user_id: str) -> None:
        with self._lock:
            self._cache.pop(user_id, None)
            self._preferences.pop(user_id, None)
