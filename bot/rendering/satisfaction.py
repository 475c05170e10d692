"""The satisfaction survey's messages: the question in the reporter's DM (a score from 1
to 5, one button each, and a button opening the comment modal), the same message once
answered (edited in place: the score given and when, the comment if any, the comment
button while there is none), and the low-score post in the leads' channel."""

from __future__ import annotations

from typing import Any

from messages import mention_user, render, render_plain
from sla_core.config.satisfaction import SCORES
from sla_core.field_limits import SATISFACTION_COMMENT
from sla_core.policy import Policy
from sla_core.satisfaction import Survey
from sla_core.tickets.views import TicketView

from bot.rendering import action_ids
from bot.rendering.blocks import (
    Block, Outgoing, actions, button, context, date_token, input_block, modal, section, text_input,
)

SCORE_PREFIX = action_ids.SATISFACTION_SCORE_PREFIX  # + 1…5
SCORE_IDS = action_ids.SATISFACTION_SCORES
COMMENT = action_ids.SATISFACTION_COMMENT  # opens the comment modal
COMMENT_FORM = "csat_comment"  # the modal's callback id
COMMENT_BLOCK = "comment"
SURVEY_ACTIONS_BLOCK = "csat_actions"


def render_survey(ticket: TicketView, *, lang: str) -> Outgoing:
    ref = ticket.ref
    scores = [button(aid, render_plain(f"satisfaction.score_button.{n}", lang), ref,
                     style="primary" if n == max(SCORES) else None) for aid, n in zip(SCORE_IDS, SCORES, strict=True)]
    return Outgoing(text=render("satisfaction.ask_fallback", lang, ref=ref),
                    blocks=[section(render("satisfaction.ask", lang, ref=ref, title=ticket.title)),
                            actions(SURVEY_ACTIONS_BLOCK, [*scores, _comment_button(ref, lang)])])


def render_answered(survey: Survey, *, lang: str, policy: Policy) -> Outgoing:
    ref = survey.ref
    blocks: list[Block] = []
    if survey.score is not None and survey.answered_at is not None:
        blocks.append(section(render("satisfaction.thanks", lang, ref=ref, score=survey.score,
                                     at=date_token(survey.answered_at, lang, policy))))
    if survey.comment:
        blocks.append(context(render("satisfaction.thanks_comment", lang, comment=survey.comment)))
    else:
        blocks.append(actions(SURVEY_ACTIONS_BLOCK, [_comment_button(ref, lang)]))
    return Outgoing(text=render("satisfaction.thanks_fallback", lang, ref=ref, score=survey.score or "—"),
                    blocks=blocks)


def render_low(survey: Survey, ticket: TicketView, *, lang: str, with_comment: bool) -> Outgoing:
    reporter, score = mention_user(survey.reporter_id), survey.score or 0
    if with_comment and survey.comment:
        text = render("satisfaction.low_comment", lang, reporter=reporter, ref=survey.ref, score=score,
                      comment=survey.comment)
    else:
        text = render("satisfaction.low", lang, ref=survey.ref, title=ticket.title, score=score, reporter=reporter,
                      severity=render_plain(f"severity.{survey.severity}", lang),
                      agent=mention_user(survey.agent_id) if survey.agent_id else None)
    return Outgoing(text=text, blocks=[section(text)])


def comment_modal(ref: str, *, lang: str, message: tuple[str, str] | None) -> dict[str, Any]:
    """The comment modal; ``message`` (channel, ts) is the survey message it was opened
    from, edited once the comment is in."""
    metadata = "|".join([ref, *(message or ())])
    return modal(callback_id=COMMENT_FORM, title=render_plain("satisfaction.modal.title", lang),
                 submit=render_plain("satisfaction.modal.submit", lang), language=lang, private_metadata=metadata,
                 blocks=[input_block(COMMENT_BLOCK, render_plain("satisfaction.modal.label", lang),
                                     text_input(multiline=True, max_length=SATISFACTION_COMMENT.max_length),
                                     optional=True, hint=render_plain("satisfaction.modal.hint", lang))])


def read_metadata(metadata: str) -> tuple[str, tuple[str, str] | None]:
    """``ref|channel|ts`` (or ``ref``) → the ref and the survey message."""
    ref, *rest = metadata.split("|")
    return ref, (rest[0], rest[1]) if len(rest) == 2 and all(rest) else None


def _comment_button(ref: str, lang: str) -> Block:
    return button(COMMENT, render_plain("satisfaction.comment_button", lang), ref)
