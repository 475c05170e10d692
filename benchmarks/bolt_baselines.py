"""The two yardsticks of ``benchmarks/ack.py``, each served by our gunicorn configuration
(``bot.gunicorn_app.AstreinteGunicorn``), started by it on loopback:

- the BARE Bolt app: ``process_before_response=True``, listeners that only ``ack()``;
- with ``--modal``, the FLOOR of any Bolt app that opens modals: the same app, whose
  listeners ack and then hand a ``views.open`` to a small pool, as ours does, with Bolt's
  own client (slack_sdk as shipped) and the intake or acknowledge modal built once at
  start-up from our renderers (the same size on the wire): no database, no templates per
  request, none of our listeners;
- with ``--modal --read-row``, that floor reading one row before it opens the modal, as
  any app must that checks the ticket's current state before showing a form: the
  ticket's row by its reference (``DATABASE_URL``'s ticket), through SQLAlchemy Core on
  an autocommit engine, in the pool's thread after the ack. What one database read costs
  a Bolt app on the same machine, and nothing of ours.

    python benchmarks/bolt_baselines.py --port 3001 --api-url http://127.0.0.1:PORT/api/ [--workers 2]
                                        [--modal [--read-row REF]]"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.ack import ADMIN, FORM, SECRET, TOKEN  # noqa: E402  the same secret signs the requests


def serve(port: int, workers: int, api_url: str, *, modal: bool = False, read_row: str | None = None) -> int:
    """Bolt with ack-only listeners under our gunicorn configuration.

    ``modal``: the same, then the one thing any app must do after these acks: open
    a modal with Bolt's own client (slack_sdk's ``WebClient`` as shipped: a new connection
    per call), from a small pool, the view built once at start-up (no database, no
    templates). The floor for any Bolt app that opens modals."""
    from concurrent.futures import ThreadPoolExecutor

    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    from bot.gunicorn_app import AstreinteGunicorn, ServeOptions
    from bot.settings import Environment

    def factory(_env: Environment, _config: Any) -> tuple[Any, Any]:
        app = App(client=WebClient(token=TOKEN, base_url=api_url), signing_secret=SECRET,
                  process_before_response=True, token_verification_enabled=False)
        if not modal:
            app.command("/incident")(lambda ack: ack())
            app.action(re.compile(".*"))(lambda ack: ack())
            return SlackRequestHandler(app, path="/slack/events"), None
        client, pool = app.client, ThreadPoolExecutor(max_workers=4)  # slack_sdk as Bolt apps get it
        intake, acknowledge = fixed_modals()
        read = row_reader(os.environ["DATABASE_URL"], read_row) if read_row else None

        def open_modal(trigger_id: str, view: dict[str, Any]) -> None:
            if read is not None:
                read()
            client.views_open(trigger_id=trigger_id, view=view)

        def opening(view: dict[str, Any]) -> Callable[..., None]:
            def listener(ack: Any, body: dict[str, Any]) -> None:
                ack()
                pool.submit(open_modal, body["trigger_id"], view)
            return listener

        app.command("/incident")(opening(intake))
        app.action(re.compile(".*"))(opening(acknowledge))
        return SlackRequestHandler(app, path="/slack/events"), None

    options = ServeOptions(host="127.0.0.1", port=port, workers=workers, log_level="warning")
    AstreinteGunicorn(Environment(), None, options, factory=factory).run()
    return 0


def row_reader(url: str, ref: str) -> Callable[[], Any]:
    """One indexed row of the tickets table by its reference, as a plain SQLAlchemy app reads it."""
    from sqlalchemy import column, create_engine, select, table

    engine = create_engine(url, isolation_level="AUTOCOMMIT")  # one statement: no transaction needed
    tickets = table("tickets", column("ref"), column("account_id"), column("reporter_id"), column("status"),
                    column("title"), column("severity"))
    statement = select(tickets).where(tickets.c.ref == ref)

    def read() -> Any:
        with engine.connect() as connection:
            return connection.execute(statement).one()
    return read


def fixed_modals() -> tuple[dict[str, Any], dict[str, Any]]:
    """The intake and acknowledge modals as ours sends them (same size on the wire), built once."""
    from bot.views.actions import MODALS, action_modal
    from bot.views.intake import incident_modal
    from sla_core.severity import Severity
    from sla_core.config import load_config
    from sla_core.tickets.lifecycle import Status
    from sla_core.tickets.queries import TicketParties

    support = load_config(REPO / "app.yaml").support
    intake = incident_modal(support=support, language="en", accounts=list(support.administered_by(ADMIN)))
    ticket = TicketParties(ref="INC-2026-000001", account_id="acme", reporter_id=ADMIN, status=Status.OPENED,
                           title=FORM["title"], severity=Severity.CRITICAL)
    return intake, action_modal(MODALS["ticket.acknowledge"], ticket, "en")



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True, help="the Slack Web API stand-in's base URL")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modal", action="store_true", help="open the modal after each ack (the floor)")
    parser.add_argument("--read-row", metavar="REF", help="with --modal: read this ticket's row before each modal")
    args = parser.parse_args()
    return serve(args.port, args.workers, args.api_url, modal=args.modal, read_row=args.read_row)


if __name__ == "__main__":
    sys.exit(main())
