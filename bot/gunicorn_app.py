"""``astreinte serve`` in HTTP mode: the WSGI surface under gunicorn, configured in code.

Why gunicorn and sync workers: measured on a small machine (see docs/operations.md), sync
workers keep the steadiest tail for Bolt with
``process_before_response=True``; Bolt's own ``App.start()`` serves one request at a time.
``--threads N`` > 1 switches to gthread (keep-alive, slow clients) for deployments
without a buffering proxy in front.

Each worker builds its own context, Bolt app and ``Runtime`` after the fork (a database
pool or a thread must never cross a fork), starts the outbox sender once booted, and stops
it on exit. Several workers and replicas deliver the same outbox safely: rows are claimed
with leases (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL)."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger

from bot.logs import LogfmtFormatter
from bot.settings import Environment
from sla_core.config import AppConfig

log = logging.getLogger("astreinte.serve")


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    host: str = "0.0.0.0"  # noqa: S104 - a server in a container listens on every interface
    port: int = 3000
    workers: int = 2
    threads: int = 1
    timeout: int = 30  # a stuck worker is killed and replaced after this
    graceful_timeout: int = 10  # on SIGTERM: finish requests in flight, then stop
    log_level: str = "info"


def make_worker_app(env: Environment, config: AppConfig) -> tuple[Any, Any]:
    """The WSGI app and the ``Runtime`` of one worker (not started). ``config`` is the
    master's, read once before the fork."""
    from bot.app import build_app
    from bot.people_lookup import schedule_people_lookup
    from bot.runtime import Runtime, build_context
    from bot.server import AstreinteWSGI
    from bot.trackers.setup import tracker_webhooks

    ctx = build_context(env, config, prepare=False)  # the master prepared the database already
    app = build_app(ctx, signing_secret=env.signing_secret)
    runtime = Runtime(ctx)
    schedule_people_lookup(runtime)  # people given by e-mail: their Slack user, kept current
    return AstreinteWSGI(app, health=runtime.health, metrics=runtime.metrics_text,
                         webhooks=tracker_webhooks(ctx, os.environ), status=status_routes(ctx, config)), runtime


def status_routes(ctx: Any, config: AppConfig) -> Any:
    """The status page's routes over this worker's own cache."""
    from bot.status_pages.wsgi import StatusRoutes, cache_for

    return StatusRoutes(cache_for(config, engine=ctx.engine, clock=ctx.clock),
                        default_language=config.slack.default_language)


class LogfmtGunicornLogger(GunicornLogger):  # type: ignore[misc]
    """gunicorn's own lines (boot, worker exits, timeouts) in the same logfmt as ours."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(LogfmtFormatter())


class AstreinteGunicorn(BaseApplication):  # type: ignore[misc] # gunicorn ships no types
    """A gunicorn application whose ``load()`` builds the app inside each worker."""

    def __init__(self, env: Environment, config: AppConfig, options: ServeOptions,
                 factory: Callable[[Environment, AppConfig], tuple[Any, Any]] = make_worker_app) -> None:
        self.env = env
        self.config = config
        self.serve_options = options
        self.factory = factory
        self.runtime: Any = None
        super().__init__()

    def load_config(self) -> None:
        o = self.serve_options
        settings: dict[str, Any] = {
            "bind": [f"{o.host}:{o.port}" if ":" not in o.host else f"[{o.host}]:{o.port}"],
            "workers": o.workers,
            "worker_class": "gthread" if o.threads > 1 else "sync",
            "threads": o.threads,
            "timeout": o.timeout,
            "graceful_timeout": o.graceful_timeout,
            "keepalive": 5,
            "loglevel": o.log_level,
            "accesslog": None,  # one line per Slack request is noise; /metrics counts
            "errorlog": "-",
            "preload_app": False,  # build per worker, after the fork
            "proc_name": "astreinte",
            "logger_class": LogfmtGunicornLogger,
            "post_worker_init": self._post_worker_init,
            "worker_exit": self._worker_exit,
        }
        if "control_socket_disable" in self.cfg.settings:  # gunicorn ≥ 26: no gunicornc socket in $HOME
            settings["control_socket_disable"] = True
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        wsgi, self.runtime = self.factory(self.env, self.config)
        return wsgi

    # gunicorn hooks, run in the worker process
    def _post_worker_init(self, worker: Any) -> None:
        if self.runtime is not None:
            self.runtime.start()
            log.info("worker %s ready", worker.pid)
        freeze_what_lives_forever()

    def _worker_exit(self, _arbiter: Any, worker: Any) -> None:
        if self.runtime is not None:
            self.runtime.stop()
            log.info("worker %s stopped", worker.pid)


def freeze_what_lives_forever() -> None:
    """Hide what a worker has built by now from the garbage collector, for good.

    Modules, the app, its templates, SQLAlchemy's metadata: ~120,000 objects that live as
    long as the worker. Every few thousand requests a full collection scanned them all:
    ≈37 ms (measured under ``benchmarks/ack.py``'s load) during which the worker answered
    nothing, the tail of whichever clicks landed then. ``gc.freeze()`` (the standard
    library's answer to this) moves them to a permanent generation; the same collection
    then took 0.7 ms. Garbage first, so as not to freeze it."""
    gc.collect()
    gc.freeze()


def run_gunicorn(env: Environment, config: AppConfig, options: ServeOptions) -> int:
    """Blocks until gunicorn's master stops (SIGTERM/SIGINT: graceful)."""
    AstreinteGunicorn(env, config, options).run()
    return 0
