"""CPU per request: Bolt's own listener per action_id / callback_id, against one listener
per surface routing on a dict (the design this replaced).

    .venv/bin/python benchmarks/listener_routing.py [--requests 3000] [--rounds 3]

Builds the real app in-process twice, on a throwaway SQLite file and the tests' FakeSlack on
loopback (for ``auth.test`` and ``views.open``):
- ``per-id``: as ``bot/app.py`` builds it, every button and modal its own Bolt listener,
  registered from the actions' declarations and matched by Bolt;
- ``router``: the very same listener functions, collected during registration and hung
  behind ONE Bolt listener per surface whose regex matches exactly their ids and which
  looks the function up in a dict.
Then hands signed requests straight to ``App.dispatch`` (no HTTP server, so only the
dispatch is measured) and reports the CPU of the request's thread per request, and the
same with the work after the ack (building and opening the modal) run inline afterwards.
The requests: an agent's first button (``ticket.acknowledge``, the first listener Bolt
tries), an agent's late button (``ticket.reopen``, tried after most others), each of the
agents' buttons that open a modal in turn, and the submission of an internal note (a
transaction: one event, its outbox rows)."""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from slack_bolt import App, BoltRequest  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.context import BotContext  # noqa: E402
from bot.offline import payloads  # noqa: E402
from bot.offline import FakeSlack  # noqa: E402
from bot.offline.harness import offline_context  # noqa: E402
from bot.offline.signed_requests import SlackRequestSigner  # noqa: E402
from sla_core.persistence.migrate import upgrade_database  # noqa: E402
from sla_core.config import load_config  # noqa: E402
from sla_core.tickets import TicketForm, acknowledge, open_ticket  # noqa: E402

SECRET, TEAM, APP_ID, CHANNEL = "bench-secret", "T0BENCH", "A0BENCH", "C0SUPCRIT"
AGENT, ADMIN = "U0AGENT01", "U0ACMEADM"


class InlineAfterAck:
    """Runs the work after the ack in the request's thread, once the answer is given, so
    its CPU can be counted apart."""

    def __init__(self) -> None:
        self.queued: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []

    def __call__(self, work: Callable[..., Any], /, *args: Any) -> None:
        self.queued.append((work, args))

    with_trigger = __call__

    def run(self) -> None:
        queued, self.queued = self.queued, []
        for work, args in queued:
            work(*args)

    def shutdown(self) -> None:
        self.queued.clear()


class Collecting:
    """Stands in for the App while the listeners register: buttons and modals are kept
    aside (to hang behind one router each), everything else reaches the App."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.actions: dict[str, Callable[..., Any]] = {}
        self.views: dict[str, Callable[..., Any]] = {}

    def action(self, action_id: str) -> Callable[[Callable[..., Any]], Any]:
        return lambda listener: self.actions.setdefault(action_id, listener)

    def view(self, callback_id: str) -> Callable[[Callable[..., Any]], Any]:
        return lambda listener: self.views.setdefault(callback_id, listener)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)


def exact_ids(ids: Mapping[str, Any]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(re.escape(i) for i in sorted(ids)) + ")$")


def router_app(ctx: BotContext) -> App:
    """The same listeners behind one routing listener per surface, registered where the
    per-id ones are (commands, modals, buttons, events)."""
    from bot.listeners import actions, commands, events, views

    app = build_app_without_listeners(ctx)
    shim = Collecting(app)
    commands.register(app, ctx)
    views.register(shim, ctx)  # type: ignore[arg-type]
    on_view = shim.views
    app.view(exact_ids(on_view))(lambda ack, body, view: on_view[view["callback_id"]](ack, body, view))
    actions.register(shim, ctx)  # type: ignore[arg-type]
    on_action = shim.actions
    app.action(exact_ids(on_action))(lambda ack, body, action: on_action[action["action_id"]](ack, body, action))
    events.register(app, ctx)
    return app


def build_app_without_listeners(ctx: BotContext) -> App:
    import bot.listeners as listeners

    register = listeners.register_listeners
    listeners.register_listeners = lambda app, ctx: None  # type: ignore[assignment]
    try:
        return build_app(ctx, signing_secret=SECRET)
    finally:
        listeners.register_listeners = register  # type: ignore[assignment]


def button(action_id: str, ref: str, user: str) -> str:
    payload = payloads.block_actions(
        actions=[payloads.button_action(action_id=action_id, value=ref)], user_id=user, team_id=TEAM,
        api_app_id=APP_ID, trigger_id=payloads.new_trigger_id(), response_url="http://127.0.0.1:9/response",
        channel_id=CHANNEL, message={"ts": "1700000000.000100", "text": "root"})
    return urlencode({"payload": json.dumps(payload)})


def note_submission(ref: str) -> str:
    modal = payloads.modal_view(callback_id="modal.note", team_id=TEAM, api_app_id=APP_ID,
                                values={"text": {"value": "checked the logs"}}, private_metadata=ref,
                                view_id="V0BENCH", blocks=[])
    body = payloads.view_submission(view=modal, user_id=AGENT, team_id=TEAM, api_app_id=APP_ID,
                                    trigger_id=payloads.new_trigger_id())
    return urlencode({"payload": json.dumps(body)})


def rotating(body: Callable[[str], str], refs: list[str]) -> Callable[[], str]:
    """Request bodies about each of ``refs`` in turn."""
    turn = itertools.cycle(refs)
    return lambda: body(next(turn))


def each_form_button() -> Callable[[str], str]:
    """The agents' buttons that open a modal, one after the other (Bolt tries a button's
    listener after those registered before it: an average over their positions)."""
    from bot.rendering.action_ids import AGENT_BUTTONS
    from bot.views.actions import MODALS

    turn = itertools.cycle([aid for aid in AGENT_BUTTONS if aid in MODALS])
    return lambda ref: button(next(turn), ref, AGENT)


def measure(app: App, after: InlineAfterAck, body: Callable[[], str], total: int) -> tuple[float, float]:
    """Mean CPU seconds per request: the dispatch alone, and with the work after the ack."""
    signer = SlackRequestSigner(SECRET)
    requests = []
    for _ in range(total):
        raw = body()
        requests.append(BoltRequest(body=raw, headers={"content-type": "application/x-www-form-urlencoded",
                                                       **signer.headers(raw)}))
    dispatch = later = 0.0
    for request in requests:
        started = time.thread_time()
        response = app.dispatch(request)
        answered = time.thread_time()
        after.run()
        dispatch += answered - started
        later += time.thread_time() - answered
        assert response.status == 200, response.body
    return dispatch / total, (dispatch + later) / total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", default="", help="comma-separated words picking the requests (default: all)")
    args = parser.parse_args()
    config = REPO / "app.yaml"
    with tempfile.TemporaryDirectory() as folder, FakeSlack() as slack:
        url = f"sqlite:///{folder}/bench.db"
        upgrade_database(url)
        with offline_context(load_config(config), url, slack) as ctx:
            ctx.after_ack.shutdown()
            after = InlineAfterAck()
            ctx.after_ack = after  # type: ignore[assignment]
            measure_all(ctx, slack, after, args)
    return 0


def measure_all(ctx: BotContext, slack: FakeSlack, after: InlineAfterAck, args: argparse.Namespace) -> None:
    """Every kind of request through both apps, on the same context."""
    slack.add_user(AGENT, real_name="agent", locale="en-US")
    form = TicketForm(title="Login fails", description="Every login fails since 09:40.", category="incident",
                      product_version=next(v for v, s in ctx.support.versions.items() if s.value == "supported"),
                      language="en",
                      contact_channel="email", severity="important")

    def acknowledged_ticket() -> str:
        ref = open_ticket(ctx.uow(), policy=ctx.policy, support=ctx.support, reporter_id=ADMIN, form=form,
                          idempotency_key=None, now=ctx.now()).ref
        acknowledge(ctx.uow(), policy=ctx.policy, support=ctx.support, ticket_ref=ref, actor_id=AGENT,
                    channel="phone", note="", now=ctx.now())
        return ref

    apps = {"per-id": build_app(ctx, signing_secret=SECRET), "router": router_app(ctx)}
    kinds: dict[str, Callable[[str], str]] = {
        "ticket.acknowledge (first listener)": lambda ref: button("ticket.acknowledge", ref, AGENT),
        "ticket.reopen (a late listener)": lambda ref: button("ticket.reopen", ref, AGENT),
        "modal.note submission": note_submission,
        "each agent button opening a modal": each_form_button(),
    }
    if args.kinds:
        kinds = {k: v for k, v in kinds.items() if any(word in k for word in args.kinds.split(","))}
    print(f"{args.requests} requests a kind and app, best of {args.rounds} rounds (apps alternating, each on "
          "a fresh ticket); CPU per request (ms)")
    print(f"{'request':38} {'app':7} {'dispatch':>9} {'+after ack':>11}")
    for kind, body in kinds.items():
        best: dict[str, tuple[float, float]] = {}
        for name, app in apps.items():  # warm-up
            measure(app, after, rotating(body, [acknowledged_ticket() for _ in range(5)]), 100)
        for _ in range(args.rounds):
            for name, app in apps.items():
                # Notes pile up in a ticket's log: spread them over tickets of a realistic length.
                refs = [acknowledged_ticket() for _ in range(max(1, args.requests // 30))]
                run = measure(app, after, rotating(body, refs), args.requests)
                best[name] = min(best.get(name, run), run)
        for name, (dispatch, total) in best.items():
            print(f"{kind:38} {name:7} {dispatch * 1000:9.3f} {total * 1000:11.3f}")


if __name__ == "__main__":
    sys.exit(main())
