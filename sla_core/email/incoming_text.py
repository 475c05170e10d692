"""The readable part of an incoming mail: the new text the customer wrote (quoted earlier
mail and signature stripped) and the list of its attachments (name, type, size).

Nothing here renders or runs what a mail carries: an HTML-only body is reduced to its
text with the standard library's ``html.parser``, attachments are only measured."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage, Message
from html.parser import HTMLParser


@dataclass(frozen=True, kw_only=True)
class Attachment:
    filename: str
    content_type: str
    size: int  # bytes, decoded


def attachments_of(message: EmailMessage) -> tuple[Attachment, ...]:
    """Every attached file (and inline image with a name), in the mail's order."""
    found: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart() or part is message:
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition != "attachment" and not filename:
            continue
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        name = " ".join(str(filename).split()) if filename else f"({part.get_content_type()})"
        found.append(Attachment(filename=name[:200], content_type=part.get_content_type(), size=size))
    return tuple(found)


def body_text(message: EmailMessage) -> str:
    """The text of the mail's body: its text/plain part, else its HTML reduced to text."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = _decoded(body)
    return html_to_text(text) if body.get_content_type() == "text/html" else text


def _decoded(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        return content if isinstance(content, str) else ""
    except (LookupError, UnicodeError, ValueError):  # an unknown or lying charset: keep what can be read
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


class _TextOnly(HTMLParser):
    _SKIP = frozenset({"script", "style", "head", "title"})
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.quoting = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        if tag == "blockquote" or (tag == "div" and any(k == "class" and v and "quote" in v for k, v in attrs)):
            self.quoting += 1
        if tag in self._BREAKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        if tag == "blockquote" and self.quoting:
            self.quoting -= 1
        if tag in self._BREAKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.quoting:
            self.out.append(data)


def html_to_text(html: str) -> str:
    """The words of an HTML body (quoted blocks, scripts and styles left out)."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Where the quoted earlier mail begins, in the clients our customers use (English and French).
_ATTRIBUTION = re.compile(
    r"^\s*(On\s.+\swrote\s?:|Le\s.+\sa\s[ée]crit\s?:|-{2,}\s*(Original Message|Message d'origine|"
    r"Forwarded message|Message transf[ée]r[ée])\s*-{2,}|_{10,})\s*$", re.IGNORECASE)
_ATTRIBUTION_START = re.compile(r"^\s*(On\s|Le\s).{0,200}$")
_HEADER_BLOCK = re.compile(r"^\s*(From|De)\s*:\s*.+$", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\s*(Sent|Envoy[ée]|Date|To|À|Subject|Objet)\s*:", re.IGNORECASE)


def strip_quoted(text: str) -> str:
    """Only what is new: cut at the attribution line of a top-posted answer ("On … wrote:",
    "Le … a écrit :", an Outlook "From:/Sent:" block) or the signature ("-- "), and drop
    the quoted lines ("> …") of an answer written between the quotes."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _ATTRIBUTION.match(line) or line.rstrip() == "--" and line.startswith("--"):
            break
        # Gmail wraps a long attribution over two lines: "On Mon, … <a@b>" / "wrote:".
        if _ATTRIBUTION_START.match(line) and re.match(r"^\s*(wrote|a [ée]crit)\s?:\s*$", following, re.IGNORECASE):
            break
        if _HEADER_BLOCK.match(line) and _HEADER_NEXT.match(following):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    new = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", new).strip()


def new_part(message: EmailMessage) -> str:
    return strip_quoted(body_text(message))
