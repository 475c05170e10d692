"""What a Block Kit vocabulary costs: our plain-dict builder against slack_sdk's models.

    .venv/bin/python benchmarks/blocks.py [--repeat 2000]

Builds the intake modal (``/incident``), the acknowledge modal (a button) and a ticket's
root post, first with ``bot/rendering/blocks.py`` as shipped, then with a twin of it
written on ``slack_sdk.models.blocks`` (the same functions, returning slack_sdk objects,
and ``View.to_dict()``/``Block.to_dict()`` for what would be sent). The very same view code
runs both ways: the twin is swapped in for the ``bk`` module the views call. Both outputs
are checked equal first, so both do the same work. Both sides render the same texts
through ``messages`` (the same cost on each), so the difference is the Block Kit layer's.
Prints µs per build (best of 5 passes of ``--repeat`` builds), what slack_sdk's models add
and the ratio."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk.models import blocks as sdk  # noqa: E402
from slack_sdk.models.views import View  # noqa: E402

from bot.rendering import action_ids, blocks as ours  # noqa: E402
from bot.rendering import ticket_root  # noqa: E402
from bot.views import actions as action_views, intake  # noqa: E402
from messages import render_plain  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def sdk_twin() -> types.ModuleType:
    """``bot.rendering.blocks`` written on slack_sdk's models (cutting kept: the models
    raise on a long text instead of cutting it)."""
    twin = types.ModuleType("sdk_blocks")
    cut, VALUE = ours.cut, ours.VALUE

    def plain(text: str, limit: int = ours.SECTION_TEXT_MAX) -> sdk.PlainTextObject:
        return sdk.PlainTextObject(text=cut(text, limit), emoji=True)

    def mrkdwn(text: str, limit: int = ours.SECTION_TEXT_MAX) -> sdk.MarkdownTextObject:
        return sdk.MarkdownTextObject(text=cut(text, limit))

    def section(text: str, *, block_id: str | None = None, accessory: Any = None) -> sdk.SectionBlock:
        return sdk.SectionBlock(text=mrkdwn(text), block_id=block_id, accessory=accessory)

    def fields(texts: Sequence[str]) -> list[sdk.SectionBlock]:
        items = [mrkdwn(t, ours.FIELD_MAX) for t in texts]
        return [sdk.SectionBlock(fields=items[i:i + 10]) for i in range(0, len(items), 10)]

    def context(*texts: str) -> sdk.ContextBlock:
        return sdk.ContextBlock(elements=[mrkdwn(t) for t in texts[:10]])

    def button(action_id: str, label: str, value: str, *, style: str | None = None) -> sdk.ButtonElement:
        return sdk.ButtonElement(action_id=action_id, text=plain(label, 75), value=value, style=style)

    def actions(block_id: str, elements: Sequence[Any]) -> sdk.ActionsBlock:
        return sdk.ActionsBlock(block_id=block_id, elements=list(elements[:25]))

    def option(value: str, text: str, description: str | None = None) -> sdk.Option:
        return sdk.Option(value=value, text=plain(text, 75),
                          description=plain(description, 75) if description else None)

    def static_select(options: Sequence[sdk.Option], *, initial: str | None = None,
                      action_id: str = VALUE) -> sdk.StaticSelectElement:
        chosen = next((o for o in options if o.value == initial), None)
        return sdk.StaticSelectElement(action_id=action_id, options=list(options[:100]), initial_option=chosen)

    def text_input(*, multiline: bool = False, initial: str | None = None,
                   max_length: int | None = None) -> sdk.PlainTextInputElement:
        return sdk.PlainTextInputElement(action_id=VALUE, multiline=multiline, initial_value=initial or None,
                                         max_length=max_length or None)

    def input_block(block_id: str, label: str, element: Any, *, optional: bool = False,
                    hint: str | None = None) -> sdk.InputBlock:
        return sdk.InputBlock(block_id=block_id, label=plain(label, 2000), element=element, optional=optional,
                              hint=plain(hint, 2000) if hint else None)

    def modal(*, callback_id: str, title: str, blocks: Iterable[Any], language: str, submit: bool = True,
              private_metadata: str = "", external_id: str | None = None) -> dict[str, Any]:
        view = View(type="modal", callback_id=callback_id, title=plain(title, 24),
                    close=plain(render_plain("ui.cancel" if submit else "ui.close", language), 24),
                    submit=plain(render_plain("ui.submit", language), 24) if submit else None,
                    blocks=list(blocks), private_metadata=private_metadata, external_id=external_id)
        return view.to_dict()

    for name, value in list(locals().items()):
        if callable(value):
            setattr(twin, name, value)
    twin.divider, twin.header = sdk.DividerBlock, lambda text: sdk.HeaderBlock(text=plain(text, 150))
    twin.Block, twin.VALUE = Any, VALUE
    twin.date_token, twin.link, twin.selected = ours.date_token, ours.link, ours.selected
    twin.Outgoing = lambda *, text, blocks: ours.Outgoing(text=text, blocks=[b.to_dict() for b in blocks])
    return twin


def best_of(build: Callable[[], object], repeat: int) -> float:
    """µs per build, best of 5 passes of ``repeat`` builds."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            build()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best * 1e6


def a_ticket(folder: str) -> tuple[Any, Any, Any]:
    """app.yaml's policy and support, and one Critical ticket opened on a scratch SQLite file."""
    from sla_core.persistence.engine import make_engine
    from sla_core.persistence.migrate import upgrade_database
    from sla_core.persistence.uow import UnitOfWork
    from sla_core.policy import load_policy
    from sla_core.tickets import TicketForm, load_support, service

    url = f"sqlite:///{folder}/blocks.sqlite3"
    upgrade_database(url)
    policy, support = load_policy(REPO / "app.yaml"), load_support(REPO / "app.yaml")
    account = next(iter(support.accounts.values()))
    form = TicketForm(title="Checkout is down & <nobody> can pay", description="Every payment fails.",
                      category="incident", product_version="5.2", language="en", contact_channel="phone",
                      contact_phone="+33 6 12 34 56 78", severity="critical", affected_users="all 300 cashiers")
    ticket = service.open_ticket(UnitOfWork(make_engine(url)), policy=policy, support=support,
                                 reporter_id=sorted(account.administrators)[0], form=form, idempotency_key="bench",
                                 now=datetime(2026, 11, 20, 19, 30, tzinfo=ZoneInfo("Europe/Paris")))
    return policy, support, ticket


def swapped(modules: Sequence[types.ModuleType], twin: types.ModuleType) -> list[tuple[types.ModuleType, str, Any]]:
    """Point every name ``modules`` took from ``bot.rendering.blocks`` at the twin's."""
    saved = []
    for module in modules:
        for name, value in list(vars(module).items()):
            if value is ours:
                saved.append((module, name, value))
                setattr(module, name, twin)
            elif hasattr(twin, name) and getattr(ours, name, None) is value:
                saved.append((module, name, value))
                setattr(module, name, getattr(twin, name))
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args(argv)

    from sla_core.tickets.queries import TicketParties

    with tempfile.TemporaryDirectory() as folder:
        policy, support, ticket = a_ticket(folder)
    parties = TicketParties(ref=ticket.ref, account_id=ticket.account_id, reporter_id=ticket.reporter_id,
                            status=ticket.status, title=ticket.title, severity=ticket.severity)
    accounts = list(support.accounts.values())[:1]
    spec = action_views.MODALS[action_ids.TICKET_ACKNOWLEDGE]
    cases: dict[str, Callable[[], object]] = {
        "intake modal (/incident)": lambda: intake.incident_modal(support=support, language="en", accounts=accounts),
        "acknowledge modal (button)": lambda: action_views.action_modal(spec, parties, "en"),
        "root post": lambda: ticket_root.render_root(ticket, lang="en", policy=policy, support=support),
    }
    twin = sdk_twin()
    print(f"{'build':28} {'ours µs':>8} {'slack_sdk µs':>13} {'added µs':>9} {'ratio':>6}")
    for name, build in cases.items():
        mine = build()
        saved = swapped((intake, action_views, ticket_root), twin)
        try:
            theirs = build()
            assert _comparable(theirs) == _comparable(mine), f"{name}: the twin builds something else"
            sdk_us = best_of(build, args.repeat)
        finally:
            for module, attribute, value in saved:
                setattr(module, attribute, value)
        ours_us = best_of(build, args.repeat)
        print(f"{name:28} {ours_us:8.0f} {sdk_us:13.0f} {sdk_us - ours_us:9.0f} {sdk_us / ours_us:5.1f}×")
    return 0


def _comparable(built: object) -> object:
    """What Slack receives; slack_sdk leaves out an empty private_metadata."""
    if isinstance(built, ours.Outgoing):
        return built.blocks
    assert isinstance(built, dict)
    return {key: value for key, value in built.items() if value != ""}


if __name__ == "__main__":
    raise SystemExit(main())
