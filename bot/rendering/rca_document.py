"""A root-cause analysis as a document, in the reader's language: its sections built once
(``build``) and written out as Markdown, HTML (``astreinte rca``) or Slack messages (the
reporter's DM). The timeline and the SLA figures come from the ticket's log
(``sla_core.rca.evidence``); people wrote the rest.

Times: in Slack, date tokens (each reader sees their own time zone, the fallback in the
policy's); in files, the policy's time zone, said once under the title."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from messages import format_duration, keys, local_datetime_text, render, render_plain
from sla_core.policy import BUSINESS, Policy
from sla_core.rca.evidence import Evidence, SlaFigure, TimelineEntry
from sla_core.rca.model import RcaView
from sla_core.tickets.views import TicketView

from bot.rendering.blocks import Block, Outgoing, context, date_token, divider, header, section
from bot.rendering.labels import severity_name

FORMATS = ("md", "html")


@dataclass(frozen=True, kw_only=True)
class Part:
    heading: str
    lines: tuple[str, ...]
    prose: bool = False  # people's text: kept as paragraphs, not a list


@dataclass(frozen=True, kw_only=True)
class Document:
    title: str
    intro: tuple[str, ...]
    parts: tuple[Part, ...]


Say = Callable[..., str]
When = Callable[[datetime], str]


def build(ticket: TicketView, rca: RcaView, proof: Evidence, *, policy: Policy, lang: str, for_slack: bool) -> Document:
    say: Say = (lambda key, **p: render(key, lang, **p)) if for_slack else (lambda key, **p: render_plain(key, lang, **p))
    if for_slack:
        def when(t: datetime) -> str:
            return date_token(t, lang, policy)
    else:
        def when(t: datetime) -> str:
            return local_datetime_text(t.astimezone(policy.timezone), lang)

    c = rca.content
    intro = [say("rca.ticket", ref=ticket.ref, severity=severity_name(ticket.severity, lang), title=ticket.title),
             say("rca.version", version=rca.version, status=say(f"rca.status.{rca.status.value}"),
                 sent=when(rca.sent_at) if rca.sent_at else "")]
    if rca.corrects is not None:
        intro.append(say("rca.corrects", version=rca.corrects))
    if not for_slack:
        intro.append(say("rca.times_in", timezone=policy.timezone.key))
    impact = (say("rca.impact", start=when(c.impact.start), end=when(c.impact.end), who=c.impact.who)
              if c.impact.start and c.impact.end else
              say("rca.impact_open", start=when(c.impact.start) if c.impact.start else "—", who=c.impact.who))
    actions = tuple(say("rca.action_line", kind=say(f"rca.kind.{a.kind.value}"), what=a.what, owner=a.owner,
                        due=a.due.isoformat()) for a in c.actions) or (say("rca.no_actions"),)
    parts = (
        Part(heading=say("rca.heading.summary"), lines=(say("rca.text", text=c.summary),), prose=True),
        Part(heading=say("rca.heading.impact"), lines=(impact,)),
        Part(heading=say("rca.heading.timeline"), lines=tuple(_timeline_line(e, say, when, lang)
                                                              for e in proof.timeline)),
        Part(heading=say("rca.heading.sla"), lines=tuple(_figure_line(f, say, when, lang) for f in proof.figures)),
        Part(heading=say("rca.heading.root_cause"), lines=(say("rca.text", text=c.root_cause),), prose=True),
        Part(heading=say("rca.heading.resolution"), lines=(say("rca.text", text=c.resolution),), prose=True),
        Part(heading=say("rca.heading.actions"), lines=actions),
    )
    return Document(title=say("rca.title", ref=ticket.ref), intro=tuple(intro), parts=parts)


def _timeline_line(entry: TimelineEntry, say: Say, when: When, lang: str) -> str:
    d = dict(entry.details)
    params: dict[str, Any] = {"severity": severity_name(d["severity"], lang) if d.get("severity") else "",
                              "channel": render_plain(f"outbound.channel.{d['channel']}", lang)
                              if d.get("channel") in ("phone", "email", "slack") else "",
                              "text": d.get("text", ""), "question": d.get("question", ""), "reason": d.get("reason", ""),
                              "kind": render_plain(f"outbound.resolution_kind.{d['kind']}", lang)
                              if d.get("kind") in ("fix", "workaround") else "",
                              "from": severity_name(d["from"], lang) if d.get("from") else "",
                              "to": severity_name(d["to"], lang) if d.get("to") else "",
                              "what": entry.event.value.replace("_", " ")}
    key = f"rca.event.{entry.event.value}"
    if key not in keys(lang):
        key = "rca.event.other"
    return f"{when(entry.at)} — {say(key, **params)}"


def _figure_line(figure: SlaFigure, say: Say, when: When, lang: str) -> str:
    return say("rca.figure", clock=render_plain(f"clock.{figure.clock.value}", lang),
               target=format_duration(figure.target, lang) if figure.target else "—",
               business=figure.calendar == BUSINESS,
               due=when(figure.due) if figure.due else "", state=say(f"rca.figure_state.{figure.state}"),
               stopped=when(figure.stopped_at) if figure.stopped_at else "",
               counted=format_duration(figure.counted, lang))


# ---- writers -----------------------------------------------------------------------------
def to_markdown(doc: Document) -> str:
    out = [f"# {doc.title}", "", *[f"_{line}_  " for line in doc.intro]]
    for part in doc.parts:
        out += ["", f"## {part.heading}", ""]
        out += list(part.lines) if part.prose else [f"- {line}" for line in part.lines]
    return "\n".join(out) + "\n"


def to_html(doc: Document, *, lang: str) -> str:
    e = html.escape
    body = [f"<h1>{e(doc.title)}</h1>", *[f'<p class="meta">{e(line)}</p>' for line in doc.intro]]
    for part in doc.parts:
        body.append(f"<h2>{e(part.heading)}</h2>")
        if part.prose:
            body += [f"<p>{e(line).replace(chr(10), '<br>')}</p>" for line in part.lines]
        else:
            body.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in part.lines) + "</ul>")
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}"><head><meta charset="utf-8"><title>{e(doc.title)}</title>'
            "<style>body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;line-height:1.45}"
            ".meta{color:#555;margin:.2em 0}li{margin:.2em 0}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def to_slack(doc: Document, *, lead: str) -> Outgoing:
    """One long-form message: ``lead`` (what this is), then the document's sections, each
    part split at line ends into as many sections as Slack's 3000 characters need."""
    blocks: list[Block] = [section(lead), header(doc.title), context(*doc.intro)]
    for part in doc.parts:
        blocks.append(divider())
        lines = list(part.lines) if part.prose else [f"• {line}" for line in part.lines]
        chunk = f"*{part.heading}*"
        for line in lines:
            if len(chunk) + 1 + len(line) > _SECTION_ROOM:
                blocks.append(section(chunk))
                chunk = ""
            chunk = f"{chunk}\n{line}" if chunk else line
        blocks.append(section(chunk))
    return Outgoing(text=lead, blocks=blocks[:_MESSAGE_ROOM])


_SECTION_ROOM = 2900  # under Slack's 3000 characters a section: a line longer than that is cut by section()
_MESSAGE_ROOM = 50  # Slack's blocks a message
