"""Domain errors become Slack answers here, and only here.

A refusal the user can act on (a ``TicketError``: not allowed, wrong status, already done
by a colleague, bad input) is shown to that user alone, in their language: as the slash
command's ephemeral answer, as an ephemeral reply through ``response_url`` for a button,
or inline in the modal they submitted (their input stays). Anything else is logged with
its traceback under a short id that the user is given to quote.

Requests reach this handler well formed (``bot/request_guard.py`` and ``bot/envelope.py``
refuse the rest with a 4xx), yet it reads them as if they might not be."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from slack_bolt import App, BoltResponse

from messages import render
from sla_core.errors import AstreinteError, CodedError
from sla_core.tickets.errors import TicketError

log = logging.getLogger("astreinte.errors")

Language = Callable[[str | None], str]
T = TypeVar("T")
Later = Callable[..., None]  # runs work after the ack (``bot/after_ack.py``)


def user_message(error: Exception, language: str) -> str:
    """The text a user sees for ``error``."""
    if isinstance(error, CodedError):  # tickets, availability, maintenance…
        try:
            return render(f"error.{error.code}", language, **_params(error.params, language))
        except KeyError:
            return render("error.generic", language, detail=str(error))
    if isinstance(error, AstreinteError):
        return render("error.generic", language, detail=str(error))
    incident = new_incident_id()
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


def register_error_handler(app: App, *, language: Language, after_ack: Later) -> None:
    """Bolt's one error handler, for listeners and middleware alike. It answers within
    the ack and never waits on the network there: a button's refusal goes through
    ``response_url`` after the ack. It cannot itself fail: if building the answer does,
    that is our fault, answered 500 with an id that is logged."""

    @app.error
    def answer_error(error: Exception, body: Any, respond: Any) -> BoltResponse:
        try:
            return _answer(error, body if isinstance(body, Mapping) else {}, respond, language, after_ack)
        except Exception:
            incident = new_incident_id()
            log.exception("error %s: the error handler failed while answering %r", incident, error)
            return BoltResponse(status=500, body=f"error {incident}")


def _answer(error: Exception, body: Mapping[str, Any], respond: Any, language: Language,
            after_ack: Later) -> BoltResponse:
    user_id = user_of(body)
    kind = body.get("type") or ("command" if body.get("command") else None)
    if kind in ("block_actions", "message_action"):  # the refusal travels through response_url, after the ack
        after_ack(tell_after_ack, error, user_id, respond if body.get("response_url") else None, language)
        return BoltResponse(status=200, body="")
    text = user_message(error, language(user_id))  # logs an unexpected error with its id
    if kind == "command":
        return _json({"response_type": "ephemeral", "text": text})
    if kind == "view_submission":
        block = error_block(error, body.get("view"))
        if block is not None:
            return _json({"response_action": "errors", "errors": {block: text}})
        return _json({"response_action": "update", "view": _notice_view(text)})
    return BoltResponse(status=200, body="")


def user_of(body: Mapping[str, Any]) -> str | None:
    """Who sent ``body``: ``user.id`` (interactivity) or ``user_id`` (a slash command)."""
    user = body.get("user")
    candidate = user.get("id") if isinstance(user, Mapping) else body.get("user_id")
    return candidate if isinstance(candidate, str) and candidate else None


def tell_after_ack(error: Exception, user_id: str | None, respond: Any, language: Language) -> None:
    """A button's refusal, ephemerally through ``response_url`` (None: nowhere to tell),
    in the clicker's language; also for a check a listener makes after its ack."""
    text = user_message(error, language(user_id))
    if respond is None:
        return
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:  # the refusal could not be shown; it is logged, not lost
        log.exception("could not send a refusal through response_url")


def checked_after_ack(check: Callable[[], T], user_id: str | None, respond: Any, language: Language) -> T | None:
    """The check a listener makes right after its ack (it read nothing before): its result,
    or None once its refusal has been told as the error handler tells one."""
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - every failure is told as the error handler tells it
        tell_after_ack(error, user_id, respond, language)
        return None


def new_incident_id() -> str:
    return uuid.uuid4().hex[:8]


# The modal block a refusal is about, when its code names one (modal block ids are the
# services' argument names: channel, note, text, question, reason, kind, severity).
_BLOCK_OF_CODE = {
    "reason_required": "reason", "invalid_channel": "channel", "invalid_resolution_kind": "kind",
    "severity_unchanged": "severity", "snooze_out_of_range": "minutes",
}


def error_block(error: Exception, view: Any) -> str | None:
    """Where to show ``error`` on the submitted modal: the field it is about, else the
    first input (the user's input stays in the modal either way); None when the view
    sent has no input block to show it on."""
    blocks = view.get("blocks") if isinstance(view, Mapping) else None
    inputs = [b["block_id"] for b in blocks if isinstance(b, Mapping) and b.get("type") == "input"
              and isinstance(b.get("block_id"), str) and b["block_id"]] if isinstance(blocks, list) else []
    if isinstance(error, CodedError):  # ticket and RCA refusals name their field
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
