"""A root-cause analysis as the domain sees it: frozen values, no ORM, no text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class RcaStatus(StrEnum):
    """draft → submitted (waiting for a lead) → approved → sent. ``approved`` lasts only
    as long as the transaction that sends it; a version once sent is never changed again:
    a correction is a new version."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    SENT = "sent"


class ActionKind(StrEnum):
    CORRECTIVE = "corrective"  # fixes this occurrence's cause
    PREVENTIVE = "preventive"  # keeps it from happening again


@dataclass(frozen=True, kw_only=True)
class FollowUp:
    """A corrective or preventive action, with who owns it and by when."""

    kind: ActionKind
    what: str
    owner: str
    due: date


@dataclass(frozen=True, kw_only=True)
class Impact:
    """The customer impact: from when to when, and who was affected."""

    start: datetime | None = None
    end: datetime | None = None
    who: str = ""


@dataclass(frozen=True, kw_only=True)
class RcaContent:
    """What people write (the timeline and the SLA figures come from the ticket's log)."""

    summary: str = ""
    impact: Impact = field(default_factory=Impact)
    root_cause: str = ""
    resolution: str = ""
    actions: tuple[FollowUp, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether it may be submitted: every written part filled in."""
        return bool(self.summary and self.root_cause and self.resolution and self.impact.who
                    and self.impact.start is not None)

    def missing(self) -> tuple[str, ...]:
        out = [name for name, value in (("summary", self.summary), ("root_cause", self.root_cause),
                                        ("resolution", self.resolution), ("impact_who", self.impact.who))
               if not value]
        if self.impact.start is None:
            out.append("impact_start")
        return tuple(out)

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary, "root_cause": self.root_cause, "resolution": self.resolution,
                "impact": {"start": _iso(self.impact.start), "end": _iso(self.impact.end), "who": self.impact.who},
                "actions": [{"kind": a.kind.value, "what": a.what, "owner": a.owner, "due": a.due.isoformat()}
                            for a in self.actions]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RcaContent:
        impact = data.get("impact") or {}
        return cls(summary=data.get("summary", ""), root_cause=data.get("root_cause", ""),
                   resolution=data.get("resolution", ""),
                   impact=Impact(start=_instant(impact.get("start")), end=_instant(impact.get("end")),
                                 who=impact.get("who", "")),
                   actions=tuple(FollowUp(kind=ActionKind(a["kind"]), what=a["what"], owner=a["owner"],
                                          due=date.fromisoformat(a["due"])) for a in data.get("actions", [])))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True, kw_only=True)
class RcaView:
    """One version of a ticket's RCA."""

    id: int
    ticket_ref: str
    version: int
    status: RcaStatus
    content: RcaContent
    author_id: str
    created_at: datetime
    updated_at: datetime
    edits: int  # how many times the draft was saved
    submitted_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    sent_at: datetime | None = None
    corrects: int | None = None  # the version this one corrects


@dataclass(frozen=True, kw_only=True)
class Obligation:
    """A ticket that owes an RCA: since when (its resolution) and by when."""

    ticket_ref: str
    ticket_id: int
    severity: str
    assignee_id: str | None
    resolved_at: datetime
    due_at: datetime
    delivered_at: datetime | None  # when its first version was sent (None: not yet)
    why: str  # "required" (the severity) or "requested"

    def on_time(self) -> bool:
        return self.delivered_at is not None and self.delivered_at <= self.due_at
