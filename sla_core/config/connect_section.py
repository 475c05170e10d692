"""The ``connect`` section of ``app.yaml``: customers in Slack Connect channels and tickets
opened from a message. Optional: the defaults below apply."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sla_core.config.reader import BAD, Problems, Section, ok

CONNECT_KEYS = ("ticket_reaction",)
# Slack's emoji names: lower-case letters, digits and _ + - ' (custom emoji included).
_EMOJI_NAME = re.compile(r"[a-z0-9_+'\-]{1,100}")


@dataclass(frozen=True, kw_only=True)
class ConnectSettings:
    # An administrator or an agent adding this reaction to a message is offered a ticket from it.
    ticket_reaction: str = "ticket"


def read_connect(top: Section, problems: Problems) -> ConnectSettings:
    section = top.sub("connect", CONNECT_KEYS, required=False)
    reaction = section.read("ticket_reaction", emoji_name, default="ticket")
    if not ok(reaction):
        return BAD  # type: ignore[no-any-return]
    return ConnectSettings(ticket_reaction=reaction)


def emoji_name(value: object) -> str:
    """An emoji's name as reaction events spell it: ``ticket`` (``:ticket:`` is accepted)."""
    if not isinstance(value, str) or not _EMOJI_NAME.fullmatch(value.strip().strip(":")):
        raise ValueError(f"{value!r} is not an emoji name; write it as Slack does, e.g. ticket or :ticket:")
    return value.strip().strip(":")
