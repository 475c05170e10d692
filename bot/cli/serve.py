"""``astreinte serve``: run the bot. HTTP mode (gunicorn, ``POST /slack/events``) unless
``SLACK_APP_TOKEN`` is set, then Socket Mode. Both serve ``/healthz`` and ``/metrics`` on
``PORT``.

Everything a user can fix is checked here, in one process, before any worker starts:
credentials, app.yaml, the database revision (the default SQLite file upgrades itself),
the bot token (one ``auth.test``). Each problem exits 2 with one line saying what to do."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from bot.cli.common import config_of, with_config

if TYPE_CHECKING:
    from bot.settings import Environment
    from sla_core.config import AppConfig


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the bot (HTTP under gunicorn, or Socket Mode when SLACK_APP_TOKEN is set)",
        description="Environment: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode), "
                    "DATABASE_URL, ASTREINTE_CONFIG, PORT, SLACK_API_URL (tests and proxies).")
    parser.add_argument("--host", default="0.0.0.0", help="interface to listen on (default 0.0.0.0)")  # noqa: S104
    parser.add_argument("--port", type=int, default=None, help="port (default $PORT, else 3000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (HTTP mode, default 2)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker; >1 uses gthread workers (default 1: sync workers)")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    with_config(parser)
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    import logging  # here, not at the top: every command builds this parser (benchmarks/cli.py)

    from bot.logs import configure_logging
    from bot.settings import Environment
    from sla_core.errors import UsageError

    env = Environment.from_environ()
    env.require_slack()
    port = args.port if args.port is not None else env.port
    if args.workers < 1 or args.threads < 1:
        raise UsageError("--workers/--threads", "must be at least 1")
    config = config_of(args)  # read and checked once; every worker inherits it
    _check_tracker_credentials(config)
    configure_logging(args.log_level)
    log = logging.getLogger("astreinte.serve")
    if env.socket_mode:
        from bot.socket_mode import run_socket_mode

        log.info("starting in Socket Mode; health on %s:%s", args.host, port)
        return run_socket_mode(env, config, host=args.host, port=port)
    preflight(env, config)
    from bot.gunicorn_app import ServeOptions, run_gunicorn

    log.info("starting HTTP mode on %s:%s with %s worker(s)", args.host, port, args.workers)
    return run_gunicorn(env, config, ServeOptions(host=args.host, port=port, workers=args.workers,
                                                  threads=args.threads, log_level=args.log_level))


def preflight(env: Environment, config: AppConfig) -> None:
    """Check (and prepare) once, before forking: config, database, accounts, token."""
    from bot.runtime import build_context, check_slack_token
    from bot.slack_client import close_client

    ctx = build_context(env, config)  # the default SQLite file upgrades here, once; accounts synced
    try:
        check_slack_token(env, ctx.client)
    finally:  # no pooled connection may cross the fork: the database's nor Slack's
        ctx.engine.dispose()
        close_client(ctx.client)


def _check_tracker_credentials(config: AppConfig) -> None:
    """A configured bug tracker needs its credentials (exit 2 naming the variable)."""
    import os

    if config.bug_tracker.enabled:
        from bot.trackers.setup import tracker_client

        client = tracker_client(config.bug_tracker, os.environ)
        if client is not None:
            client.close()
