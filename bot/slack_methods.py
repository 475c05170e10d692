"""Every Slack Web API method the bot calls, with the bot-token scopes each needs, declared
once: ``manifest.yaml`` requests exactly the union of these scopes, plus the slash
command's and the event subscriptions' (``tests/slack_e2e/test_manifest_scopes.py`` scans
the code for the methods it calls and holds the manifest to this table).

Scopes are for every kind of conversation the bot uses: public channels, private channels
(deployers invite the bot to private severity channels) and its DMs with people. Sources:
each method's and scope's page in Slack's reference (docs.slack.dev/reference)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, kw_only=True)
class WebApiMethod:
    scopes: frozenset[str]
    why: str  # what the bot calls it for


def _method(*scopes: str, why: str) -> WebApiMethod:
    return WebApiMethod(scopes=frozenset(scopes), why=why)


# Before re-posting a message whose first attempt may have landed, the sender looks for it
# by its metadata in the channel's history or the thread's replies: in a public channel, a
# private one, or a DM.
_HISTORY = ("channels:history", "groups:history", "im:history")

WEB_API: Mapping[str, WebApiMethod] = MappingProxyType({
    "auth.test": _method(why="start-up check of the token (our code, and Bolt's App at construction)"),
    "chat.postMessage": _method("chat:write", "chat:write.public",
                                why="root posts, thread replies, DMs, notices; chat:write.public lets it "
                                    "post in a public channel it was not invited to"),
    "chat.update": _method("chat:write", why="re-render a root post or a DM in place"),
    "chat.getPermalink": _method(why="link to the root post from another channel"),
    "conversations.open": _method("im:write", why="the DM with a reporter or an on-call engineer"),
    "conversations.history": _method(*_HISTORY, why="find a top-level message already posted, by its metadata"),
    "conversations.replies": _method(*_HISTORY, why="find a thread reply already posted, by its metadata"),
    "users.info": _method("users:read", "users:read.email",
                          why="a user's locale, for their language; a reporter's e-mail address, for ticket mail"),
    "users.lookupByEmail": _method("users:read.email", why="the Slack user of a customer given by e-mail address "
                                                           "(an account's person), external members included"),
    "views.open": _method(why="the intake and action modals"),
    "views.publish": _method(why="the App Home tab"),
})

# Made by the libraries on our behalf, not written in our code: Bolt's ``App(token=…)``
# calls auth.test (declared above); Socket Mode opens its connection with the app-level
# ``xapp-`` token (``astreinte serve`` also tries it once at start-up, to fail in one line),
# whose scope is not a bot scope and is not in the manifest.
APP_TOKEN_METHODS: Mapping[str, WebApiMethod] = MappingProxyType({
    "apps.connections.open": _method("connections:write", why="Socket Mode's WebSocket URL (slack_sdk.socket_mode)"),
})
LIBRARY_CALLS = frozenset({"auth.test", "apps.connections.open"})

SLASH_COMMAND_SCOPES = frozenset({"commands"})
# Event subscriptions → the bot scopes they need (app_home_opened needs none).
EVENTS: Mapping[str, frozenset[str]] = MappingProxyType({
    "app_home_opened": frozenset(),
    "user_change": frozenset({"users:read"}),  # a profile's new address: an account's person follows
})


def bot_scopes() -> frozenset[str]:
    """The bot-token scopes the manifest must request: no more, no fewer."""
    needed = set(SLASH_COMMAND_SCOPES)
    for method in WEB_API.values():
        needed |= method.scopes
    for scopes in EVENTS.values():
        needed |= scopes
    return frozenset(needed)
