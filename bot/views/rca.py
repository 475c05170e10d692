"""The RCA modal: what people write of a root-cause analysis (the timeline and the SLA
figures are filled from the ticket's log, so they are not asked for). Opened from the
ticket's root post, prefilled with the latest draft (or, after a version was sent, with
that version: saving it starts its correction). ``private_metadata`` is the ticket ref.

Actions are one a line, ``corrective | what | owner | 2026-12-15``: a fixed number of
inputs would either waste the modal's 100 blocks or cap the actions, and Block Kit has no
repeating group."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.rendering import blocks as bk
from bot.rendering import rca_notices
from bot.rendering.ticket_root import RCA_START_BUTTON
from messages import render, render_plain
from sla_core.field_limits import RCA_TEXTS
from sla_core.rca.errors import RcaError
from sla_core.rca.model import ActionKind, FollowUp, Impact, RcaContent, RcaView

CALLBACK_ID = "modal.rca"
START_BUTTON = RCA_START_BUTTON  # on the root post (agents)
APPROVE_BUTTON = rca_notices.APPROVE_BUTTON  # on the approval request in the leads' channel
THEN, SUBMIT_NOW = "then", "submit"
_TEXTS = ("summary", "impact_who", "root_cause", "resolution", "actions")


def rca_modal(*, ref: str, title: str, current: RcaView | None, lang: str, timezone: ZoneInfo) -> dict[str, Any]:
    c = current.content if current is not None else RcaContent()
    initial = {"summary": c.summary, "impact_who": c.impact.who, "root_cause": c.root_cause,
               "resolution": c.resolution, "actions": "\n".join(_action_line(a) for a in c.actions)}

    def text(name: str, *, multiline: bool = True, optional: bool = False) -> bk.Block:
        return bk.input_block(name, render_plain(f"rca.modal.{name}", lang),
                              bk.text_input(multiline=multiline, initial=initial[name] or None,
                                            max_length=RCA_TEXTS[name].max_length), optional=optional)

    def instant(name: str, value: datetime | None, optional: bool) -> bk.Block:
        shown = value.astimezone(timezone).strftime("%Y-%m-%d %H:%M") if value else None
        return bk.input_block(name, render_plain(f"rca.modal.{name}", lang),
                              bk.text_input(initial=shown, max_length=16), optional=optional)

    then = bk.input_block(THEN, render_plain("rca.modal.then", lang), bk.static_select(
        [bk.option("save", render_plain("rca.modal.then_save", lang)),
         bk.option(SUBMIT_NOW, render_plain("rca.modal.then_submit", lang))], initial="save"))
    blocks = [bk.section(render("act.ticket", lang, ref=ref, title=title)), bk.context(render("rca.modal.evidence", lang)),
              text("summary"), instant("impact_start", c.impact.start, False), instant("impact_end", c.impact.end, True),
              text("impact_who", multiline=False), text("root_cause"), text("resolution"),
              text("actions", optional=True), then]
    return bk.modal(callback_id=CALLBACK_ID, title=render_plain("rca.modal.title", lang),
                    submit=render_plain("rca.modal.submit", lang), blocks=blocks, language=lang,
                    private_metadata=ref)


def _action_line(a: FollowUp) -> str:
    return f"{a.kind.value} | {a.what} | {a.owner} | {a.due.isoformat()}"


def content_from_state(values: Mapping[str, Any], *, timezone: ZoneInfo) -> tuple[RcaContent, bool]:
    """The content typed, and whether to submit it now; raises ``RcaError`` naming the
    input that cannot be read (shown inline on it)."""
    def value(name: str) -> str:
        return (bk.selected(values, name) or "").strip()

    impact = Impact(start=_instant(value("impact_start"), "impact_start", timezone),
                    end=_instant(value("impact_end"), "impact_end", timezone), who=value("impact_who"))
    content = RcaContent(summary=value("summary"), impact=impact, root_cause=value("root_cause"),
                         resolution=value("resolution"), actions=_actions(value("actions")))
    return content, value(THEN) == SUBMIT_NOW


def _instant(text: str, field: str, timezone: ZoneInfo) -> datetime | None:
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text.replace("T", " "))
    except ValueError:
        raise RcaError(f"{field}: {text!r} is not a date and time", code="rca_bad_instant", field=field) from None
    return local if local.tzinfo is not None else local.replace(tzinfo=timezone)


def _actions(text: str) -> tuple[FollowUp, ...]:
    out = []
    for number, line in enumerate((l for l in text.splitlines() if l.strip()), start=1):
        parts = [p.strip() for p in line.split("|")]
        try:
            kind, what, owner, due = parts
            out.append(FollowUp(kind=ActionKind(kind.lower()), what=what, owner=owner, due=date.fromisoformat(due)))
        except ValueError:
            raise RcaError(f"actions line {number} cannot be read", code="rca_bad_action_line", field="actions",
                           line=number) from None
        if not what or not owner:
            raise RcaError(f"actions line {number} cannot be read", code="rca_bad_action_line", field="actions",
                           line=number)
    return tuple(out)
