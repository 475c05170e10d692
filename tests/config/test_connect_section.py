"""``connect.ticket_reaction``: the emoji that offers a ticket from a message."""

from __future__ import annotations

import pytest

from sla_core.config.connect_section import emoji_name


@pytest.mark.parametrize(("written", "read"), [("ticket", "ticket"), (":ticket:", "ticket"),
                                               ("sos", "sos"), ("+1", "+1"), ("my-team_ticket", "my-team_ticket")])
def test_an_emoji_name_is_read_as_reaction_events_spell_it(written: str, read: str) -> None:
    assert emoji_name(written) == read


@pytest.mark.parametrize("written", ["🎫", "Ticket", "two words", "", 3])
def test_anything_else_is_refused(written: object) -> None:
    with pytest.raises(ValueError, match="is not an emoji name"):
        emoji_name(written)
