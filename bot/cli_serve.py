"""``astreinte serve``: run the bot. HTTP mode (gunicorn, ``POST /slack/events``) unless
``SLACK_APP_TOKEN`` is set, then Socket Mode. Both serve ``/healthz`` and ``/metrics`` on
``PORT``.

Everything a user can fix is checked here, in one process, before any worker starts:
credentials, app.yaml, the database revision (the default SQLite file upgrades itself),
the bot token (one ``auth.test``). Each problem exits 2 with one line saying what to do."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any

from bot.settings import Environment
from sla_core.errors import ConfigError

LOG_FORMAT_FIELDS = ("time", "level", "logger", "pid", "thread", "msg")


class LogfmtFormatter(logging.Formatter):
    """``time=… level=INFO logger=… pid=… msg="…"``: one line per record, grep- and
    parser-friendly; a traceback follows on the next lines."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname, "logger": record.name, "pid": record.process,
            "thread": record.threadName, "msg": record.getMessage(),
        }
        for key in ("worker", "key", "ticket"):  # extras our modules pass
            if hasattr(record, key):
                fields[key] = getattr(record, key)
        line = " ".join(f"{k}={_logfmt_value(v)}" for k, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _logfmt_value(value: Any) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\n'):
        return text
    return json.dumps(text, ensure_ascii=False)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LogfmtFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # slack_sdk logs whole request bodies at DEBUG (user text, tokens in form posts):
    # never below INFO, whatever the level asked for.
    for name in ("slack_sdk", "slack_bolt", "urllib3"):
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    # Alembic announces its dialect on every revision check (each /healthz).
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    env = Environment.from_environ()
    env.require_slack()
    port = args.port if args.port is not None else env.port
    if args.workers < 1 or args.threads < 1:
        raise ConfigError("--workers/--threads", "must be at least 1")
    configure_logging(args.log_level)
    log = logging.getLogger("astreinte.serve")
    if env.socket_mode:
        from bot.socket_mode import run_socket_mode

        log.info("starting in Socket Mode; health on %s:%s", args.host, port)
        return run_socket_mode(env, host=args.host, port=port)
    preflight(env)
    from bot.gunicorn_app import ServeOptions, run_gunicorn

    log.info("starting HTTP mode on %s:%s with %s worker(s)", args.host, port, args.workers)
    return run_gunicorn(env, ServeOptions(host=args.host, port=port, workers=args.workers, threads=args.threads,
                                          log_level=args.log_level))


def preflight(env: Environment) -> None:
    """Check (and prepare) once, before forking: config, database, accounts, token."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot.runtime import build_context
    from bot.slack_client import close_client

    ctx = build_context(env)  # the default SQLite file upgrades here, once; accounts synced
    try:
        ctx.client.auth_test()
    except SlackApiError as exc:
        raise ConfigError("SLACK_BOT_TOKEN", f"Slack refused it ({exc.response.get('error')}); "
                                             "reinstall the app and copy the Bot User OAuth Token") from None
    except (SlackClientError, OSError) as exc:
        raise ConfigError("SLACK_API_URL", f"cannot reach Slack's Web API at {ctx.client.base_url}: {exc}") from None
    finally:  # no pooled connection may cross the fork: the database's nor Slack's
        ctx.engine.dispose()
        close_client(ctx.client)
