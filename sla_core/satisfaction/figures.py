"""A month's satisfaction answers, grouped for the report: overall, per agent (the ticket's
assignee when the survey was asked), per severity and per account. Answers count in the
month they were given (``answered_at``), surveys in the month they were asked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sla_core.satisfaction.models import SurveyRow

UNASSIGNED = ""  # the group of surveys whose ticket had no assignee


@dataclass(frozen=True, kw_only=True)
class ScoreGroup:
    key: str  # an agent's user id, a severity, an account id ("" : nobody assigned)
    answers: int
    total: int  # sum of the scores
    low: int  # answers at or under the low mark

    @property
    def average(self) -> float:
        return self.total / self.answers if self.answers else 0.0


@dataclass(frozen=True, kw_only=True)
class SatisfactionFigures:
    asked: int
    overall: ScoreGroup
    by_agent: tuple[ScoreGroup, ...]
    by_severity: tuple[ScoreGroup, ...]
    by_account: tuple[ScoreGroup, ...]
    low_score_at_most: int


@dataclass(frozen=True)
class _Answer:
    agent: str
    severity: str
    account: str
    score: int


def month_figures(session: Session, *, start: datetime, end: datetime, low_score_at_most: int,
                  severities: Sequence[str] = ()) -> SatisfactionFigures:
    """The answers given in [start, end) and the surveys asked then. ``severities``: the
    order to list them in (others after)."""
    rows = session.execute(select(SurveyRow.agent_id, SurveyRow.severity, SurveyRow.account_id, SurveyRow.score)
                           .where(SurveyRow.answered_at >= start, SurveyRow.answered_at < end,
                                  SurveyRow.score.is_not(None)))
    answers = [_Answer(r.agent_id or UNASSIGNED, r.severity, r.account_id, int(r.score)) for r in rows]
    asked = session.scalar(select(func.count(SurveyRow.id)).where(SurveyRow.asked_at >= start,
                                                                  SurveyRow.asked_at < end)) or 0
    rank = {s: i for i, s in enumerate(severities)}

    def grouped(key: Callable[[_Answer], str], order: Callable[[ScoreGroup], object]) -> tuple[ScoreGroup, ...]:
        groups: dict[str, list[int]] = defaultdict(list)
        for answer in answers:
            groups[key(answer)].append(answer.score)
        return tuple(sorted((_group(k, v, low_score_at_most) for k, v in groups.items()), key=order))

    return SatisfactionFigures(
        asked=asked, overall=_group("", [a.score for a in answers], low_score_at_most),
        by_agent=grouped(lambda a: a.agent, lambda g: (g.key == UNASSIGNED, g.key)),
        by_severity=grouped(lambda a: a.severity, lambda g: (rank.get(g.key, len(rank)), g.key)),
        by_account=grouped(lambda a: a.account, lambda g: g.key),
        low_score_at_most=low_score_at_most)


def _group(key: str, scores: Iterable[int], low_at_most: int) -> ScoreGroup:
    values = list(scores)
    return ScoreGroup(key=key, answers=len(values), total=sum(values), low=sum(1 for s in values if s <= low_at_most))
