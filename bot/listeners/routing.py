"""One Bolt listener per surface, routing on the id to our handlers.

Bolt tries the registered listeners one after another, and each try runs a matcher
through its keyword-argument injection (≈10–20 µs each). With one listener per button
and per modal, a click on "Acknowledge" was tried against eleven listeners before its
own, and profiling a worker under load put 8 % of its CPU in those matchers. Here each
surface (buttons, modal submissions) registers a single listener whose constraint
matches exactly the ids it serves, so unknown ids still reach Bolt's "unhandled request"
warning, and the handler is found in a dict."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Handler = Callable[..., None]


def exact_ids(ids: Mapping[str, Any]) -> re.Pattern[str]:
    """A pattern matching each of ``ids`` exactly and nothing else."""
    return re.compile("^(?:" + "|".join(re.escape(i) for i in sorted(ids)) + ")$")


def route_actions(handlers: Mapping[str, Handler]) -> Handler:
    """The buttons' listener: ``handlers[action_id](ack, body, action)``."""
    def on_action(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        handlers[action["action_id"]](ack, body, action)
    return on_action


def route_views(handlers: Mapping[str, Handler]) -> Handler:
    """The modal submissions' listener: ``handlers[callback_id](ack, body, view)``."""
    def on_view_submission(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        handlers[view["callback_id"]](ack, body, view)
    return on_view_submission
