"""Satisfaction ("How did we do?"): once a resolution is accepted (or accepted after the
customer's silence), its reporter is asked once for a score from 1 to 5 and an optional
comment, at most once per ``satisfaction.once_per``; low scores are told to the leads and
the monthly report groups the answers per agent, severity and account."""

from sla_core.satisfaction.service import (
    ASKING_EVENTS, SatisfactionError, Survey, ask, check_may_answer, get_survey, record_comment, record_score,
    survey_hook,
)

__all__ = ["ASKING_EVENTS", "SatisfactionError", "Survey", "ask", "check_may_answer", "get_survey",
           "record_comment", "record_score", "survey_hook"]
