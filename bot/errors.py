"""Domain errors become Slack answers here, and only here.

A refusal the user can act on (a ``TicketError``: not allowed, wrong status, already done
by a colleague, bad input) is shown to that user alone, in their language: as the slash
command's ephemeral answer, as an ephemeral reply through ``response_url`` for a button,
or inline in the modal they submitted (their input stays). Anything else is logged with
its traceback under a short id that the user is given to quote."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import App, BoltResponse

from messages import render
from sla_core.errors import AstreinteError, CodedError
from sla_core.tickets.errors import TicketError

log = logging.getLogger("astreinte.errors")

Language = Callable[[str | None], str]


def user_message(error: Exception, language: str) -> str:
    """The text a user sees for ``error``."""
    if isinstance(error, CodedError):  # tickets, availability, maintenance…
        try:
            return render(f"error.{error.code}", language, **_params(error.params, language))
        except KeyError:
            return render("error.generic", language, detail=str(error))
    if isinstance(error, AstreinteError):
        return render("error.generic", language, detail=str(error))
    incident = uuid.uuid4().hex[:8]
    log.error("unexpected error %s", incident, exc_info=error)
    return render("error.unexpected", language, incident=incident)


def _params(params: Mapping[str, Any], language: str = "en") -> dict[str, Any]:
    from datetime import datetime

    from messages import mention_user, slack_date

    out = dict(params)
    for key in ("at", "deadline"):  # ISO instants become date tokens, shown in each reader's zone
        if isinstance(out.get(key), str):
            try:
                out[key] = slack_date(datetime.fromisoformat(out[key]), language)
            except ValueError:
                pass
    for key in ("by", "user_id", "reporter_id"):
        if isinstance(out.get(key), str):
            out[key] = mention_user(out[key])
    if isinstance(out.get("administrators"), (list, tuple)):
        out["administrators"] = [mention_user(u) for u in out["administrators"]]
    return out


def register_error_handler(app: App, language: Language) -> None:
    @app.error
    def answer_error(error: Exception, body: dict[str, Any], respond: Any, logger: logging.Logger) -> BoltResponse:
        user_id = (body.get("user") or {}).get("id") or body.get("user_id")
        text = user_message(error, language(user_id))
        kind = body.get("type") or ("command" if body.get("command") else None)
        if not isinstance(error, AstreinteError):
            logger.debug("unexpected error answered for %s", kind)
        if kind == "command":
            return _json({"response_type": "ephemeral", "text": text})
        if kind == "view_submission":
            block = error_block(error, body.get("view") or {})
            if block is not None:
                return _json({"response_action": "errors", "errors": {block: text}})
            return _json({"response_action": "update", "view": _notice_view(text)})
        if kind == "block_actions" and respond is not None:
            try:
                respond(text=text, response_type="ephemeral", replace_original=False)
            except Exception:  # the refusal could not be shown; it is logged, not lost
                log.exception("could not send a refusal through response_url")
        return BoltResponse(status=200, body="")


# The modal block a refusal is about, when its code names one (modal block ids are the
# services' argument names: channel, note, text, question, reason, kind, severity).
_BLOCK_OF_CODE = {
    "reason_required": "reason", "invalid_channel": "channel", "invalid_resolution_kind": "kind",
    "severity_unchanged": "severity", "snooze_out_of_range": "minutes",
}


def error_block(error: Exception, view: Mapping[str, Any]) -> str | None:
    """Where to show ``error`` on the submitted modal: the field it is about, else the
    first input (the user's input stays in the modal either way)."""
    inputs = [str(b["block_id"]) for b in view.get("blocks") or [] if b.get("type") == "input" and b.get("block_id")]
    if isinstance(error, TicketError):
        wanted = error.params.get("field") or _BLOCK_OF_CODE.get(error.code)
        if wanted in inputs:
            return str(wanted)
    return inputs[0] if inputs else None


def _notice_view(text: str) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Astreinte"},
            "close": {"type": "plain_text", "text": "OK"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def _json(payload: Mapping[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, body=json.dumps(payload), headers={"content-type": "application/json"})
