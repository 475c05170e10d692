"""A seeded generator of hostile, correctly signed Slack requests.

Each request starts from something Slack really sends (a slash command, a button click,
a modal submission, an event), addressed by people who may not act (a stranger, an end
user, the admin of another account) to the real tickets of the desk, then is bent: random
form fields, invalid JSON, wrong types anywhere, huge strings, NUL and emoji, unknown
callback and action ids, forged ``private_metadata`` and button values pointing at other
tickets. ``random.Random(seed)`` makes every run send the same requests."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from bot.views.actions import SUBMITTED
from bot.rendering import action_ids
from bot.offline import payloads
from bot.views.intake import CALLBACK_ID

# People who may change nothing on acme's tickets. (An agent may act on any ticket, so a
# well-formed request of theirs changing something would be no finding.)
USERS = ("U0STRANGR", "U0ACMEUSR", "U0GLOBADM")
# The language select is left out: any user may legitimately store their choice.
ACTION_IDS = (*action_ids.ALL, "ticket.explode", "", "home.languag")
CALLBACK_IDS = (CALLBACK_ID, *SUBMITTED, "modal.explode", "")
COMMANDS = ("/incident", "/incident", "/other", "")
WORDS = ("", "help", "list", "status", "oncall", "oncall set <@U0STRANGR> until 2030-01-01T09:00",
         "outage start api vendor", "outage end 1", "report 2026-11", "new", "panne", "rapport 1999-13")


@dataclass(frozen=True)
class Hostile:
    kind: str
    body: str
    content_type: str


class HostileRequests:
    def __init__(self, seed: int, *, tickets: Sequence[str], response_url: str) -> None:
        self._rng = random.Random(seed)
        self._tickets = tuple(tickets)
        self._response_url = response_url

    def __iter__(self) -> Iterator[Hostile]:
        makers = (self._command, self._click, self._submission, self._event, self._garbage)
        while True:
            yield self._rng.choice(makers)()

    # ----- strings and values ------------------------------------------------------------
    def text(self) -> str:
        r = self._rng
        pick = r.randrange(10)
        if pick == 0:
            return "x" * r.choice((3_000, 40_000, 200_000))
        if pick == 1:
            return "a\x00b"
        if pick == 2:
            return "\U0001F525\u200d\U0001F4A5 <@U0AGENT01> <!channel> &amp; *bold*"
        if pick == 3:
            return "\ud83d"  # half an emoji: a lone surrogate
        if pick == 4:
            return "INC-2026-00000" + str(r.randrange(10)) + "' OR '1'='1"
        if pick == 5:
            return self.ticket()
        return "".join(r.choice("abcXYZ019 -_:./\u00e9\u00fc") for _ in range(r.randrange(1, 30)))

    def ticket(self) -> str:
        """A ref: another account's real ticket, or one that does not exist."""
        r = self._rng
        return r.choice((*self._tickets, "INC-2099-999999", self._tickets[0].lower(), self._tickets[0] + ":30"))

    def junk(self, depth: int = 0) -> Any:
        """A value of any JSON type (or a string where an object was wanted)."""
        r = self._rng
        pick = r.randrange(9 if depth < 3 else 6)
        options: list[Any] = [None, r.choice((True, False)), r.randrange(-10**6, 10**6), 1e308, self.text(),
                              [], {}]
        if pick < len(options):
            return options[pick]
        if pick == 7:
            return [self.junk(depth + 1) for _ in range(r.randrange(1, 4))]
        return {self.text()[:20]: self.junk(depth + 1) for _ in range(r.randrange(1, 4))}

    def user(self) -> str:
        r = self._rng
        return r.choice((*USERS, *USERS, "U0ACMEUSR\x00", "\U0001F600", "", "U" * 5_000))

    # ----- what Slack would send, bent -------------------------------------------------------
    def _command(self) -> Hostile:
        r = self._rng
        fields = payloads.slash_command(
            command=r.choice(COMMANDS), text=r.choice(WORDS) + (" " + self.text() if r.random() < 0.5 else ""),
            user_id=self.user(), channel_id="C0ASTRE1", team_id="T0ASTRE1", api_app_id="A0ASTAPP",
            response_url=self._response_url, trigger_id=payloads.new_trigger_id())
        for _ in range(r.randrange(3)):  # random form fields, dropped or added
            if r.random() < 0.5:
                fields.pop(r.choice(sorted(fields)), None)
            else:
                fields[self.text()[:30]] = self.text()
        # surrogatepass: a lone surrogate goes on the wire as the bytes a broken client would send
        return Hostile("command", urlencode(fields, errors="surrogatepass"), "application/x-www-form-urlencoded")

    def _click(self) -> Hostile:
        r = self._rng
        action = payloads.button_action(action_id=r.choice(ACTION_IDS), value=self.ticket())
        if r.random() < 0.3:
            action["selected_option"] = r.choice((None, [], [{"value": "fr"}], "fr", {"value": 3}))
        body = payloads.block_actions(actions=[action], user_id=self.user(), team_id="T0ASTRE1",
                                      api_app_id="A0ASTAPP", trigger_id=payloads.new_trigger_id(),
                                      response_url=self._response_url, channel_id="C0SUPIMPT",
                                      message={"ts": "1700000000.000100", "text": "root"})
        return self._interaction("click", self._bent(body))

    def _submission(self) -> Hostile:
        r = self._rng
        blocks = ("title", "severity", "reason", "text", "channel", "kind", "note", "question", "account")
        values: dict[str, Any] = {}
        for block in r.sample(blocks, r.randrange(len(blocks))):
            values[block] = {"value": r.choice((self.text(), payloads.selected_option(self.text()),
                                                {"type": "static_select", "selected_option": self.junk()},
                                                {"value": self.junk()}, None))}
        view = payloads.modal_view(callback_id=r.choice(CALLBACK_IDS), team_id="T0ASTRE1", api_app_id="A0ASTAPP",
                                   private_metadata=self.ticket() if r.random() < 0.8 else self.text(),
                                   view_id=f"V{r.randrange(10**8):08d}",
                                   blocks=[{"type": "input", "block_id": b} for b in values])
        body = payloads.view_submission(view=view, user_id=self.user(), team_id="T0ASTRE1", api_app_id="A0ASTAPP",
                                        trigger_id=payloads.new_trigger_id())
        return self._interaction("submission", self._bent(body))

    def _event(self) -> Hostile:
        r = self._rng
        event = payloads.app_home_opened(user_id=self.user(), channel_id="D0HOME", tab=r.choice(("home", "messages")))
        body = (payloads.event_callback(event=event, team_id="T0ASTRE1", api_app_id="A0ASTAPP")
                if r.random() < 0.8 else payloads.url_verification(self.text()))
        return Hostile("event", json.dumps(self._bent(body)), "application/json")

    def _garbage(self) -> Hostile:
        r = self._rng
        text = r.choice(("{", "[", "42", "null", '"text"', "[]" * 10, "9" * 5_000, "[" * 50_000, "{\"type\": 1}",
                         "\x00", "\U0001F525", json.dumps(self.junk())))
        if r.random() < 0.5:
            return Hostile("garbage", "payload=" + quote(text), "application/x-www-form-urlencoded")
        return Hostile("garbage", text, r.choice(("application/json", "text/plain", "")))

    def _interaction(self, kind: str, body: Any) -> Hostile:
        return Hostile(kind, urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")

    def _bent(self, body: dict[str, Any]) -> Any:
        """``body`` with a few fields, anywhere in it, removed or replaced by junk."""
        r = self._rng
        out = copy.deepcopy(body)
        for _ in range(r.choice((0, 0, 1, 1, 2, 3))):
            parent, key = self._somewhere(out)
            if parent is None:
                return self.junk()
            if r.random() < 0.3 and isinstance(parent, dict):
                parent.pop(key, None)
            else:
                parent[key] = self.junk()
        return out

    def _somewhere(self, node: Any) -> tuple[Any, Any]:
        """A random (container, key) inside ``node``, walking down at random."""
        r = self._rng
        parent, key = None, None
        while isinstance(node, (dict, list)) and node and (parent is None or r.random() < 0.6):
            key = r.choice(sorted(node, key=str)) if isinstance(node, dict) else r.randrange(len(node))
            parent, node = node, node[key]
        return parent, key
