"""Item 2: a correctly signed request of the wrong shape gets a 4xx (or a 200 that does
nothing but refuse), never a server error, and changes nothing. Each case is one of the
crashes found by fuzzing, sent over HTTP to the served app, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from slack_bolt import BoltRequest

from bot.app import build_app
from bot.offline import payloads
from tests.hostile.conftest import ADMIN, END_USER, OUTSIDER, STRANGER, Door

Payload = dict[str, Any]


def click(door: Door, action_id: str = "ticket.acknowledge", *, user: str = END_USER, value: str = "") -> Payload:
    return payloads.block_actions(
        actions=[payloads.button_action(action_id=action_id, value=value or door.tickets[0])], user_id=user,
        team_id="T0ASTRE1", api_app_id="A0ASTAPP", trigger_id=payloads.new_trigger_id(),
        response_url=door.slack.response_url("refusal"), channel_id="C0SUPIMPT",
        message={"ts": "1700000000.000100", "text": "root"})


def submission(callback_id: str, values: dict[str, Any], *, user: str = ADMIN, metadata: str = "") -> Payload:
    view = payloads.modal_view(callback_id=callback_id, team_id="T0ASTRE1", api_app_id="A0ASTAPP",
                               values=values, private_metadata=metadata,
                               blocks=[{"type": "input", "block_id": block} for block in values])
    return payloads.view_submission(view=view, user_id=user, team_id="T0ASTRE1", api_app_id="A0ASTAPP",
                                    trigger_id=payloads.new_trigger_id())


def changed(payload: Payload, path: str, value: Any) -> Payload:
    """``payload`` with the field at dotted ``path`` set to ``value`` (or removed: ``...``)."""
    out = copy.deepcopy(payload)
    *parents, last = path.split(".")
    node = out
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is ...:
        node.pop(last)
    else:
        node[last] = value
    return out


INTAKE = {"title": {"value": "Checkout down"}, "severity": {"value": payloads.selected_option("critical")}}

# name → the payload (a JSON object, or the raw ``payload=`` text), built for the door.
CASES: dict[str, Callable[[Door], Any]] = {
    "payload is not JSON": lambda d: "%7B",
    "payload is a number": lambda d: "42",
    "payload is null": lambda d: "null",
    "payload is a list": lambda d: "[1,2]",
    "payload holds a 5000-digit number": lambda d: "9" * 5000,
    "payload nested 100,000 deep": lambda d: "[" * 100_000,
    "actions empty": lambda d: changed(click(d), "actions", []),
    "actions missing": lambda d: changed(click(d), "actions", ...),
    "actions is a string": lambda d: changed(click(d), "actions", "ticket.acknowledge"),
    "an action is a number": lambda d: changed(click(d), "actions", [7]),
    "action_id is a number": lambda d: changed(click(d), "actions.0.action_id", 7),
    "button value is an object": lambda d: changed(click(d), "actions.0.value", {"ref": d.tickets[0]}),
    "user missing": lambda d: changed(click(d), "user", ...),
    "user is a string": lambda d: changed(click(d), "user", END_USER),
    "user id is a number": lambda d: changed(click(d), "user.id", 42),
    "team is a number": lambda d: changed(click(d), "team", 42),
    "view is a string": lambda d: changed(submission("modal.reopen", {"reason": {"value": "x"}}), "view", "modal"),
    "view state missing": lambda d: changed(submission("modal.reopen", {"reason": {"value": "x"}}), "view.state", ...),
    "view values is a list": lambda d: changed(submission("modal.reopen", {"reason": {"value": "x"}}),
                                               "view.state.values", []),
    "view callback_id is null": lambda d: changed(submission("modal.reopen", {"reason": {"value": "x"}}),
                                                  "view.callback_id", None),
    "private_metadata is a number": lambda d: changed(submission("modal.reopen", {"reason": {"value": "x"}}),
                                                      "view.private_metadata", 1),
    "NUL in user_id": lambda d: changed(click(d), "user.id", "U0ACME\x00ADM"),
    "NUL spelled with a percent-encoded u": lambda d: "payload=" + quote(json.dumps(
        changed(click(d), "user.id", "U0ACME\x00ADM"))).replace("%5Cu0000", "%5C%750000"),
    "NUL in a modal's text": lambda d: submission("modal.reopen", {"reason": {"value": "why\x00"}},
                                                  metadata=d.tickets[0]),
    "an unpaired surrogate in a modal's text": lambda d: submission("modal.reopen", {"reason": {"value": "\ud83d"}},
                                                                    metadata=d.tickets[0]),
    "event is a string": lambda d: {"type": "event_callback", "event_id": "Ev1", "event": "app_home_opened"},
    "event without a type": lambda d: {"type": "event_callback", "event_id": "Ev2", "event": {"user": ADMIN}},
    "authorizations is a number": lambda d: {"type": "event_callback", "event_id": "Ev3", "authorizations": 3,
                                             "event": {"type": "app_home_opened", "user": ADMIN, "tab": "home"}},
}
# Well-formed enough to reach a listener, which refuses them (a 200 that changes nothing).
REFUSED: dict[str, Callable[[Door], Any]] = {
    "selected_option is null": lambda d: submission("modal.incident", {**INTAKE, "severity": {
        "value": {"type": "static_select", "selected_option": None}}}),
    "selected_option is a list": lambda d: submission("modal.incident", {**INTAKE, "severity": {
        "value": {"type": "static_select", "selected_option": [{"value": "critical"}]}}}),
    "a block's state is a list": lambda d: changed(submission("modal.severity", {"reason": {"value": "x"}},
                                                              user=OUTSIDER, metadata=d.tickets[0]),
                                                   "view.state.values.reason", []),
    "forged metadata: another account's ticket": lambda d: submission("modal.reopen", {"reason": {"value": "x"}},
                                                                      user=OUTSIDER, metadata=d.tickets[0]),
    "forged metadata: an agent's modal": lambda d: submission("modal.acknowledge", {
        "channel": {"value": payloads.selected_option("phone")}}, user=END_USER, metadata=d.tickets[1]),
    "forged metadata: no such ticket": lambda d: submission("modal.update", {"text": {"value": "x"}},
                                                            user=STRANGER, metadata="INC-2099-999999"),
    "forged metadata: 3,000 characters": lambda d: submission("modal.note", {"text": {"value": "x"}},
                                                              user=STRANGER, metadata="\U0001F525" * 3000),
    "a button on another's ticket": lambda d: click(d, "ticket.close", user=OUTSIDER),
    "a button with a forged ref": lambda d: click(d, "reporter.accept", user=STRANGER, value="INC-0000-' OR 1=1"),
    "an unknown action id": lambda d: click(d, "ticket.explode"),
    "an unknown callback id": lambda d: submission("modal.explode", {"text": {"value": "x"}}),
}


def _send(door: Door, payload: Any) -> Any:
    if isinstance(payload, str):  # the payload's text, or (starting with payload=) the whole body
        if payload.startswith("payload="):
            return door.post(payload)
        return door.post("payload=" + quote(payload) if payload != "%7B" else "payload=%7B")
    if payload.get("type") == "event_callback":
        return door.post(json.dumps(payload), content_type="application/json")
    return door.interaction(payload)


def test_a_malformed_signed_request_gets_400_and_changes_nothing(
        door: Door, caplog: pytest.LogCaptureFixture) -> None:
    before = door.snapshot()
    for case, build in CASES.items():
        answer = _send(door, build(door))
        assert answer.status == 400, (case, answer.body)
        assert answer.body and len(answer.body) < 200, case  # a short reason, not a trace
    assert door.snapshot() == before
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_request_no_one_may_make_is_refused_without_a_server_error(
        door: Door, caplog: pytest.LogCaptureFixture) -> None:
    before = door.snapshot()
    for case, build in REFUSED.items():
        answer = _send(door, build(door))
        assert 200 <= answer.status < 500, (case, answer.body)
        assert "went wrong on our side" not in answer.body and "Une erreur" not in answer.body, case
    door.ctx.after_ack.shutdown()  # the refusals posted after the acks are done
    assert door.snapshot() == before
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(door.slack.responses("refusal")) == 2  # the two buttons' refusals, through response_url


def test_a_command_missing_its_trigger_id_gets_400(door: Door) -> None:
    fields = payloads.slash_command(command="/incident", text="", user_id=ADMIN, channel_id="C0ASTRE1",
                                    team_id="T0ASTRE1", api_app_id="A0ASTAPP", response_url="",
                                    trigger_id="")
    fields.pop("trigger_id")
    assert door.form(fields).status == 400
    assert door.form({"command": "/incident", "text": "status", "trigger_id": "1.2"}).status == 400  # no user
    assert urlencode(fields)  # the form itself was fine


def test_a_nul_in_a_user_id_reads_no_preference_instead_of_failing(door: Door) -> None:
    """PostgreSQL refuses NUL in text: the language look-up must not even ask."""
    assert door.ctx.languages.for_user("U0ACME\x00ADM") == door.ctx.wiring.default_language


def test_socket_mode_payloads_are_held_to_the_same_envelope(door: Door) -> None:
    """Socket Mode has no signature, but the same shapes: a good command is answered, a
    bent submission refused, by the app Socket Mode dispatches to."""
    app = build_app(door.ctx, signing_secret=None, socket_mode=True)
    help_ = app.dispatch(BoltRequest(body=door.command_fields(ADMIN, "help"), mode="socket_mode"))
    assert help_.status == 200 and "/incident" in help_.body
    bent = changed(submission("modal.reopen", {"reason": {"value": "x"}}), "view", "modal")
    assert app.dispatch(BoltRequest(body=bent, mode="socket_mode")).status == 400
