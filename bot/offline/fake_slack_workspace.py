"""The in-memory Slack workspace behind `FakeSlack`: state and Web API method semantics.

No HTTP here, and no locking: `FakeSlack` serialises access. Keeping the semantics apart
from the transport lets each method read like Slack's documentation of it, and lets the
recording API hand out snapshots of the same records the methods update.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from bot.offline.slack_params import (
    SlackApiFailure,
    flag,
    json_field,
    required,
    text_and_blocks,
    view_param,
    within,
)

JsonDict = dict[str, Any]
FIRST_TS_MICROS = 1_700_000_000_000_100


@dataclass(frozen=True, kw_only=True)
class PostedMessage:
    """A message as it stands now; `edits` keeps the earlier versions, oldest first."""

    channel: str
    ts: str
    text: str
    blocks: list[JsonDict] | None
    thread_ts: str | None
    reply_broadcast: bool
    metadata: JsonDict | None
    user: str
    bot_id: str
    edits: tuple[JsonDict, ...] = ()

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts


@dataclass(frozen=True, kw_only=True)
class EphemeralMessage:
    channel: str
    user: str
    text: str
    blocks: list[JsonDict] | None
    thread_ts: str | None
    message_ts: str


@dataclass(frozen=True, kw_only=True)
class UserProfile:
    """What users.info says about a person; configure one per user a test mentions."""

    user_id: str
    real_name: str
    tz: str = "Europe/Paris"
    locale: str = "fr-FR"
    is_bot: bool = False
    deleted: bool = False
    name: str = ""
    email: str = ""
    team_id: str = ""  # another workspace's: an external member of a Slack Connect channel


@dataclass(kw_only=True)
class FakeWorkspace:
    """State of one fake workspace, and one function per supported Web API method."""

    team_id: str
    team_domain: str
    bot_user_id: str
    bot_id: str
    app_id: str
    messages: dict[str, list[PostedMessage]] = field(default_factory=dict)
    ephemerals: list[EphemeralMessage] = field(default_factory=list)
    views: dict[str, JsonDict] = field(default_factory=dict)
    views_opened: list[JsonDict] = field(default_factory=list)
    homes: dict[str, JsonDict] = field(default_factory=dict)
    users: dict[str, UserProfile] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    opened_dms: set[str] = field(default_factory=set)
    _ts_counter: int = 0
    _view_counter: int = 0

    def handler_for(self, method: str) -> Callable[[JsonDict], JsonDict] | None:
        handlers: dict[str, Callable[[JsonDict], JsonDict]] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.getPermalink": self.chat_get_permalink,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "users.info": self.users_info,
            "users.lookupByEmail": self.users_lookup_by_email,
            "conversations.open": self.conversations_open,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "usergroups.users.list": self.usergroups_users_list,
        }
        return handlers.get(method)

    def reset(self) -> None:
        """Forget messages and views; keep configured users and user groups."""
        self.messages.clear()
        self.ephemerals.clear()
        self.views.clear()
        self.views_opened.clear()
        self.homes.clear()
        self.opened_dms.clear()

    # ----- identities -------------------------------------------------------------

    def next_ts(self) -> str:
        """Unique, increasing Slack timestamps, 100 µs apart, sortable as strings."""
        micros = FIRST_TS_MICROS + 100 * self._ts_counter
        self._ts_counter += 1
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    @staticmethod
    def dm_channel_of(user_id: str) -> str:
        """Stable across runs and instances, so a test may compute it up front."""
        return "D" + hashlib.sha1(user_id.encode()).hexdigest()[:10].upper()

    def resolve_channel(self, channel: str) -> str:
        """Posting to a user id posts in the app's DM with that user, as Slack does."""
        if channel[:1] in ("U", "W"):
            return self.dm_channel_of(channel)
        return channel

    def find_message(self, channel: str, ts: str) -> PostedMessage | None:
        return next((m for m in self.messages.get(channel, []) if m.ts == ts), None)

    # ----- auth / chat --------------------------------------------------------------

    def auth_test(self, params: JsonDict) -> JsonDict:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "Astreinte Test",
            "user": "astreinte",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, params: JsonDict) -> JsonDict:
        channel = self.resolve_channel(required(params, "channel"))
        text, blocks = text_and_blocks(params)
        thread_ts = params.get("thread_ts") or None
        if thread_ts is not None and self.find_message(channel, thread_ts) is None:
            raise SlackApiFailure("thread_not_found")
        message = PostedMessage(
            channel=channel,
            ts=self.next_ts(),
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            reply_broadcast=flag(params.get("reply_broadcast")),
            metadata=json_field(params, "metadata"),
            user=self.bot_user_id,
            bot_id=self.bot_id,
        )
        self.messages.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": message.ts, "message": self.render(message, True)}

    def chat_update(self, params: JsonDict) -> JsonDict:
        channel = self.resolve_channel(required(params, "channel"))
        ts = required(params, "ts")
        current = self.find_message(channel, ts)
        if current is None:
            raise SlackApiFailure("message_not_found")
        text, blocks = text_and_blocks(params, previous=current)
        metadata = json_field(params, "metadata")
        previous = {"text": current.text, "blocks": current.blocks, "metadata": current.metadata}
        updated = replace(
            current,
            text=text,
            blocks=blocks,
            metadata=metadata if metadata is not None else current.metadata,
            edits=current.edits + (previous,),
        )
        stored = self.messages[channel]
        stored[stored.index(current)] = updated
        return {"channel": channel, "ts": ts, "text": text, "message": self.render(updated, True)}

    def chat_post_ephemeral(self, params: JsonDict) -> JsonDict:
        channel = self.resolve_channel(required(params, "channel"))
        text, blocks = text_and_blocks(params)
        ephemeral = EphemeralMessage(
            channel=channel,
            user=required(params, "user"),
            text=text,
            blocks=blocks,
            thread_ts=params.get("thread_ts") or None,
            message_ts=self.next_ts(),
        )
        self.ephemerals.append(ephemeral)
        return {"message_ts": ephemeral.message_ts}

    def chat_get_permalink(self, params: JsonDict) -> JsonDict:
        channel = required(params, "channel")
        ts = required(params, "message_ts")
        if self.find_message(channel, ts) is None:
            raise SlackApiFailure("message_not_found")
        link = f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    # ----- views --------------------------------------------------------------------

    def views_open(self, params: JsonDict) -> JsonDict:
        required(params, "trigger_id")
        view = self._new_view(params, previous_view_id=None)
        self.views_opened.append(copy.deepcopy(view))
        return {"view": view}

    def views_push(self, params: JsonDict) -> JsonDict:
        required(params, "trigger_id")
        view = self._new_view(params, previous_view_id=self._top_view_id())
        self.views_opened.append(copy.deepcopy(view))
        return {"view": view}

    def _top_view_id(self) -> str | None:
        return self.views_opened[-1]["id"] if self.views_opened else None

    def views_update(self, params: JsonDict) -> JsonDict:
        view_id = params.get("view_id") or self._view_id_by_external(params.get("external_id"))
        current = self.views.get(view_id or "")
        if current is None:
            raise SlackApiFailure("not_found")
        expected_hash = params.get("hash")
        if expected_hash and expected_hash != current["hash"]:
            raise SlackApiFailure("hash_conflict")
        updated = {**current, **view_param(params), "id": current["id"]}
        updated["hash"] = self._view_hash()
        self.views[current["id"]] = updated
        return {"view": copy.deepcopy(updated)}

    def views_publish(self, params: JsonDict) -> JsonDict:
        user_id = required(params, "user_id")
        view = self._new_view(params, previous_view_id=None)
        self.homes[user_id] = copy.deepcopy(view)
        return {"view": view}

    def _new_view(self, params: JsonDict, *, previous_view_id: str | None) -> JsonDict:
        self._view_counter += 1
        view_id = f"V{self._view_counter:010d}"
        view = {
            "id": view_id,
            "team_id": self.team_id,
            "state": {"values": {}},
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            **view_param(params),
            "previous_view_id": previous_view_id,
            "root_view_id": view_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        view["hash"] = self._view_hash()
        self.views[view_id] = view
        return copy.deepcopy(view)

    def _view_id_by_external(self, external_id: str | None) -> str | None:
        if not external_id:
            return None
        return next((v["id"] for v in self.views.values() if v["external_id"] == external_id), None)

    def _view_hash(self) -> str:
        return f"{self._view_counter}.{self.next_ts().replace('.', '')}"

    # ----- people and conversations -----------------------------------------------

    def users_lookup_by_email(self, params: JsonDict) -> JsonDict:
        """Slack's answer: the user whose profile has this address (any case), else
        ``users_not_found``."""
        email = required(params, "email").strip().lower()
        found = next((p for p in self.users.values() if p.email and p.email.lower() == email and not p.is_bot), None)
        if found is None:
            raise SlackApiFailure("users_not_found")
        return self.users_info({"user": found.user_id})

    def users_info(self, params: JsonDict) -> JsonDict:
        user_id = required(params, "user")
        profile = self.users.get(user_id)
        if profile is None:
            raise SlackApiFailure("user_not_found")
        offset = datetime.now(timezone.utc).astimezone(ZoneInfo(profile.tz)).utcoffset()
        user: JsonDict = {
            "id": profile.user_id,
            "team_id": profile.team_id or self.team_id,
            "name": profile.name or profile.real_name.lower().replace(" ", "."),
            "deleted": profile.deleted,
            "real_name": profile.real_name,
            "tz": profile.tz,
            "tz_label": profile.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_bot": profile.is_bot,
            "is_admin": False,
            "profile": {
                "real_name": profile.real_name,
                "display_name": profile.real_name,
                "email": profile.email,
            },
        }
        if flag(params.get("include_locale")):
            user["locale"] = profile.locale
        return {"user": user}

    def conversations_open(self, params: JsonDict) -> JsonDict:
        users = params.get("users") or ""
        user_ids = users if isinstance(users, list) else [u for u in str(users).split(",") if u]
        if len(user_ids) != 1:
            raise SlackApiFailure("not_implemented_in_fake" if user_ids else "users_list_not_supplied")
        channel_id = self.dm_channel_of(user_ids[0])
        already_open = channel_id in self.opened_dms
        self.opened_dms.add(channel_id)
        return {"no_op": already_open, "already_open": already_open, "channel": {"id": channel_id}}

    def conversations_history(self, params: JsonDict) -> JsonDict:
        channel = required(params, "channel")
        visible = [m for m in self.messages.get(channel, []) if not m.is_reply or m.reply_broadcast]
        visible = within(visible, params)
        newest_first = list(reversed(visible))
        return self._page(newest_first, params, channel)

    def conversations_replies(self, params: JsonDict) -> JsonDict:
        channel = required(params, "channel")
        ts = required(params, "ts")
        anchor = self.find_message(channel, ts)
        if anchor is None:
            raise SlackApiFailure("thread_not_found")
        root_ts = anchor.thread_ts or anchor.ts
        thread = [m for m in self.messages[channel] if m.ts == root_ts or m.thread_ts == root_ts]
        return self._page(within(thread, params), params, channel)

    def usergroups_users_list(self, params: JsonDict) -> JsonDict:
        group = required(params, "usergroup")
        if group not in self.usergroups:
            raise SlackApiFailure("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def _page(self, messages: list[PostedMessage], params: JsonDict, channel: str) -> JsonDict:
        """Cursor pagination as Slack does it: an opaque cursor, `has_more`, a limit."""
        limit = int(params.get("limit") or 100)
        start = int(params.get("cursor") or 0)
        page = messages[start : start + limit]
        has_more = start + limit < len(messages)
        with_metadata = flag(params.get("include_all_metadata"))
        return {
            "messages": [self.render(m, with_metadata) for m in page],
            "has_more": has_more,
            "response_metadata": {"next_cursor": str(start + limit) if has_more else ""},
        }

    def render(self, message: PostedMessage, with_metadata: bool) -> JsonDict:
        """The message as the Web API shows it (history, replies, postMessage's echo)."""
        rendered: JsonDict = {
            "type": "message",
            "user": message.user,
            "bot_id": message.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": message.text,
            "ts": message.ts,
        }
        if message.blocks is not None:
            rendered["blocks"] = copy.deepcopy(message.blocks)
        if message.thread_ts is not None:
            rendered["thread_ts"] = message.thread_ts
        replies = [m for m in self.messages.get(message.channel, []) if m.is_reply and m.thread_ts == message.ts]
        if replies:
            rendered["thread_ts"] = message.ts
            rendered["reply_count"] = len(replies)
            rendered["latest_reply"] = replies[-1].ts
        if message.edits:
            rendered["edited"] = {"user": message.user, "ts": message.ts}
        if with_metadata and message.metadata is not None:
            rendered["metadata"] = copy.deepcopy(message.metadata)
        return rendered

