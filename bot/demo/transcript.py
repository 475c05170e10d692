"""What the demo prints: everything Slack would show, in the order it happened.

The fake records every Web API call in order; each successful ``chat.postMessage``,
``chat.update``, ``chat.postEphemeral`` and ``views.open`` since the last look becomes a
few lines: where it shows (``#support-critical``, ``DM @name``, ``thread of INC-…``) and
what it says, converted from mrkdwn. Each mail the reporter's mail server received since
then follows, as their mail client lists it: to whom, the subject, the threading headers
and the text part. A header names the simulated instant (local time) the first time
something shows at it. Slack's ts and ids are never printed: two runs print the same text."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from bot.demo.mrkdwn import Names, message_lines
from bot.demo.wrap import WIDTH
from bot.offline import FakeSlack, RecordedCall
from bot.offline.demo_smtp import Mailbox, ReceivedMail
from bot.offline.slack_params import flag, json_field, text_and_blocks
from messages import local_datetime_text, render_plain

Print = Callable[[str], None]
PERFORMED = ("ok", "delayed", "dropped")  # outcomes of calls the fake carried out
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
HEADER_WIDTH = 72
THREADING = ("Message-ID", "In-Reply-To", "References")  # what lets a mail client thread a ticket


class Transcript:
    def __init__(self, slack: FakeSlack, names: Names, dm_users: Mapping[str, str], *, language: str,
                 reference: re.Pattern[str], clock: Callable[[], datetime], timezone: Any, emit: Print,
                 mailbox: Mailbox | None = None) -> None:
        self.slack = slack
        self.mailbox = mailbox
        self.names = names
        self.dm_users = dict(dm_users)  # DM channel id → user id
        self.language = language
        self.reference = reference
        self.clock = clock
        self.timezone = timezone
        self.emit = emit
        self.counts: Counter[str] = Counter()
        self.actor = ""  # who is at the keyboard: views.open does not say whom a modal is for
        self._seen_calls = 0
        self._seen_mails = 0
        self._header_at: datetime | None = None
        # What an edited message showed last: by (channel, ticket) for root posts, whose
        # first version is a post we print, else by (channel, ts).
        self._shown: dict[tuple[str, str], list[str]] = {}

    # ----- the narrator's lines -------------------------------------------------------------
    def say(self, key: str, **params: Any) -> str:
        return render_plain(f"demo.{key}", self.language, **params)

    def narrate(self, key: str, **params: Any) -> None:
        self._header()
        self.emit("▸ " + self.say(key, **params))

    def act(self, key: str) -> None:
        """A new act's title, between two blank lines; the next instant gets its header."""
        self.emit("")
        self.emit(self.say(key))
        self._header_at = None

    def show_view(self, user: str, view: Mapping[str, Any]) -> None:
        """A modal the app answered with (the intake's confirmation): what the user reads."""
        self._header()
        self._view(user, view)

    # ----- what Slack shows ------------------------------------------------------------------
    def flush(self) -> int:
        """Print what happened in Slack since the last call; how many things were shown."""
        calls = self.slack.calls()
        new, self._seen_calls = calls[self._seen_calls:], len(calls)
        shown = 0
        for call in new:
            if call.outcome not in PERFORMED:
                continue
            printer = {"chat.postMessage": self._posted, "chat.update": self._updated,
                       "chat.postEphemeral": self._ephemeral, "views.open": self._opened}.get(call.method)
            if printer is not None:
                self._header()
                printer(call)
                shown += 1
        mails = self.mailbox.mails() if self.mailbox is not None else []
        for mail in mails[self._seen_mails:]:
            self._header()
            self._mail(mail)
            shown += 1
        self._seen_mails = len(mails)
        return shown

    def skip(self) -> None:
        """Forget the calls made so far (start-up's auth.test and the like)."""
        self._seen_calls = len(self.slack.calls())

    # ----- one call each -----------------------------------------------------------------------
    def _posted(self, call: RecordedCall) -> None:
        params = call.params
        channel = self._channel(str(params.get("channel", "")))
        text, blocks = text_and_blocks(params)
        thread_ts = params.get("thread_ts") or None
        if channel in self.dm_users:
            where = self.say("where.dm", user=self.names.user(self.dm_users[channel]))
            self.counts["dm"] += 1
        elif thread_ts:
            key = "where.thread_broadcast" if flag(params.get("reply_broadcast")) else "where.thread"
            where = self.say(key, ref=self._ticket_of(channel, str(thread_ts)), channel=self.names.channel(channel))
            self.counts["thread"] += 1
        else:
            where = self.names.channel(channel)
            self.counts["channel"] += 1
        lines = [_plain(line) for line in message_lines(text, blocks, self.names)]
        found = self.reference.search(text)
        if found and not thread_ts and channel not in self.dm_users:  # a root post: edited later
            self._shown[(channel, found.group(0))] = lines
        self.emit(f"  {where}")
        self._body(lines)

    def _updated(self, call: RecordedCall) -> None:
        """The edited message shown whole, as Slack now shows it in place (a root post's
        new status, clocks and the buttons left to press); a line alone when the edit
        changed nothing a reader would see."""
        params = call.params
        text, blocks = text_and_blocks(params)
        channel = self._channel(str(params.get("channel", "")))
        ts = str(params.get("ts", ""))
        message = next((m for m in self.slack.messages(channel) if m.ts == ts), None)
        if channel in self.dm_users:
            where, key = self.say("where.dm", user=self.names.user(self.dm_users[channel])), (channel, ts)
        elif message is not None and message.is_reply:
            where = self.say("where.thread", ref=self._ticket_of(channel, str(message.thread_ts)),
                             channel=self.names.channel(channel))
            key = (channel, ts)
        else:
            ref = self._ticket_of(channel, ts)
            where, key = self.say("where.root", ref=ref, channel=self.names.channel(channel)), (channel, ref)
        lines = [_plain(line) for line in message_lines(text, blocks, self.names)]
        self.counts["update"] += 1
        unchanged = self._shown.get(key) == lines
        self._shown[key] = lines
        self.emit("  " + self.say("where.unchanged" if unchanged else "where.edited", where=where))
        if not unchanged:  # the same lines again would only hide what did change
            self._body(lines)

    def _ephemeral(self, call: RecordedCall) -> None:
        params = call.params
        text, blocks = text_and_blocks(params)
        channel = self._channel(str(params.get("channel", "")))
        self.emit("  " + self.say("where.ephemeral", user=self.names.user(str(params.get("user", ""))),
                                  channel=self.names.channel(channel)))
        for line in message_lines(text, blocks, self.names):
            self.emit(f"    {_plain(line)}".rstrip())

    def _mail(self, mail: ReceivedMail) -> None:
        """A mail as the reporter's client shows it: its subject and threading headers
        (the same ``References`` thread a ticket's mails together), then its text part."""
        message = mail.message
        self.counts["mail"] += 1
        self.emit("  " + self.say("where.mail", to=", ".join(mail.recipients)))
        for name in ("Subject", *THREADING):
            if message[name]:  # folded as a mail header is: continuation lines indented further
                self.emit("\n".join(textwrap.wrap(f"{name}: {message[name]}", width=WIDTH - 4, initial_indent="    ",
                                                  subsequent_indent="      ", break_long_words=False)))
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        self.emit("    │")
        for line in text.rstrip().splitlines():
            self.emit(f"    │ {line}".rstrip())

    def _opened(self, call: RecordedCall) -> None:
        view = json_field(call.params, "view") or {}
        self._view(self.actor, view)

    def _view(self, user: str, view: Mapping[str, Any]) -> None:
        title = (view.get("title") or {}).get("text", "")
        who = self.names.user(user) if user else ""
        self.emit("  " + self.say("where.modal", user=who, title=title))
        if view.get("callback_id", "").endswith("confirmation"):
            for line in message_lines("", view.get("blocks") or [], self.names):
                self.emit(f"    {_plain(line)}".rstrip())

    # ----- helpers ----------------------------------------------------------------------------
    def _body(self, lines: list[str]) -> None:
        for line in lines:
            self.emit(f"    {line}".rstrip())

    def _channel(self, channel: str) -> str:
        return self.slack.dm_channel(channel) if channel[:1] in ("U", "W") else channel

    def _ticket_of(self, channel: str, thread_ts: str) -> str:
        root = next((m for m in self.slack.messages(channel) if m.ts == thread_ts), None)
        found = self.reference.search(root.text) if root is not None else None
        return found.group(0) if found else self.names.channel(channel)

    def _header(self) -> None:
        now = self.clock()
        if self._header_at == now:
            return
        self._header_at = now
        label = f"━━ {local_datetime_text(now.astimezone(self.timezone), self.language)} "
        self.emit("")
        self.emit(label + "━" * max(3, HEADER_WIDTH - len(label)))


def _plain(line: str) -> str:
    """Bold markers dropped: a terminal has no bold to show them with."""
    return _BOLD.sub(r"\1", line)
