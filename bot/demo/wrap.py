"""The demo's lines cut to a terminal's width, the way a chat client wraps them: a quote
keeps its ``>`` bar on every line, a list item and a narrator's line hang their text under
the first word, and a URL is never broken (it would no longer open)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

WIDTH = 100  # the widest line the demo prints
# A line's indentation, then the marker its continuation lines must repeat or hang under.
_LEAD = re.compile(r"^(\s*)(> |│ |• |▸ |- |⚠️ )?")
_REPEATED = ("> ", "│ ")  # a quote's bar shows on each of its lines, as Slack draws it (and a mail's)
_BUTTON = re.compile(r"\[[^\[\]]*\]")
GLUE = "\ue000"  # a private-use character, in no text: textwrap never breaks a button label there


def wrap_line(line: str, width: int = WIDTH) -> list[str]:
    """``line`` as lines of at most ``width`` characters (a word longer than that, such
    as a URL, stays whole on a line of its own)."""
    if len(line) <= width:
        return [line]
    found = _LEAD.match(line)
    indent, marker = (found.group(1), found.group(2) or "") if found else ("", "")
    following = indent + (marker if marker in _REPEATED else " " * len(marker))
    text = _BUTTON.sub(lambda m: m.group(0).replace(" ", GLUE), line[len(indent) + len(marker):])
    wrapped = textwrap.wrap(text, width=width, initial_indent=indent + marker, subsequent_indent=following,
                            break_long_words=False, break_on_hyphens=False)
    return [piece.replace(GLUE, " ") for piece in wrapped]


def wrapping(emit: Callable[[str], None], width: int = WIDTH) -> Callable[[str], None]:
    """``emit`` that cuts each line it is given to ``width``."""
    def emit_wrapped(text: str) -> None:
        for line in text.split("\n"):
            for piece in wrap_line(line, width):
                emit(piece)
    return emit_wrapped
