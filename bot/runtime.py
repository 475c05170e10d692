"""A running bot, whichever way it is served: the ``BotContext`` built from the
environment, and the ``Runtime`` that owns the background work of one process (the outbox
sender thread, periodic jobs) and answers ``/healthz`` and ``/metrics``.

Every replica and every gunicorn worker has its own ``Runtime``. That is safe because the
work they share lives in the database: the sender claims outbox rows with leases, and a
periodic job (the scheduler's tick) reads what is due from the tickets table. So a job is
registered once per *kind* with APScheduler's in-memory store, never once per ticket, and
no job store is shared between processes (APScheduler 3 forbids it)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.context import BotContext, Clock, system_clock
from bot.settings import Environment, MissingCredential
from bot.slack_client import close_client, make_web_client
from sla_core.config import AppConfig
from sla_core.errors import AstreinteError, ConfigError
from sla_core.persistence.engine import database_url_from_env, default_sqlite_path, is_sqlite, normalize_url
from sla_core.persistence.migrate import current_revision, ensure_database, head_revision
from sla_core.accounts.seed import ensure_seeded

log = logging.getLogger("astreinte.runtime")

HealthReport = tuple[bool, dict[str, Any]]


class DatabaseUnreachable(AstreinteError):
    """The database could not be opened; names it with the password masked."""

    def __init__(self, url: str, cause: BaseException) -> None:
        reason = str(getattr(cause, "orig", None) or cause).strip().splitlines()[0]
        super().__init__(f"cannot reach the database at {mask_url(url)}: {reason}")


# ----- the database -----------------------------------------------------------------------
def resolve_database_url(env: Environment, environ: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """The URL in use and whether it is the default SQLite file (which upgrades itself:
    it is one person's own store; a shared PostgreSQL is upgraded by an operator)."""
    if env.database_url:
        return checked_database_url(env.database_url), False
    environ = os.environ if environ is None else environ
    return database_url_from_env({k: v for k, v in environ.items() if k != "DATABASE_URL"}), True


SUPPORTED_DATABASES = ("postgresql", "sqlite")
DATABASE_URL_HINT = "write e.g. postgresql://user:password@host:5432/astreinte or sqlite:////var/lib/astreinte.db"


def checked_database_url(url: str, name: str = "DATABASE_URL") -> str:
    """``DATABASE_URL`` normalised, or one line naming it when it is not a URL we can use."""
    try:
        parsed = make_url(normalize_url(url.strip()))
    except ArgumentError:
        raise ConfigError(name, f"{_shown(url)} is not a database URL ({DATABASE_URL_HINT})") from None
    if parsed.get_backend_name() not in SUPPORTED_DATABASES:
        raise ConfigError(name, f'"{parsed.get_backend_name()}" is not a supported database '
                                          f"(PostgreSQL or SQLite; {DATABASE_URL_HINT})")
    return normalize_url(url.strip())


def _shown(url: str) -> str:
    return f'"{url}"' if "@" not in url else "the value"  # never echo a password


def mask_url(url: str) -> str:
    return make_url(normalize_url(url)).render_as_string(hide_password=True)


def open_database(url: str, *, auto_upgrade: bool) -> Engine:
    """An engine on a database at the latest revision, else ``DatabaseNotCurrent``
    ("run `astreinte db upgrade`") or ``DatabaseUnreachable``."""
    try:
        return ensure_database(url, auto_upgrade=auto_upgrade)
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(url, exc) from exc


def database_health(engine: Engine) -> HealthReport:
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        return False, {"database": {"reachable": False, "error": type(exc).__name__}}
    expected = head_revision()
    return current == expected, {"database": {"reachable": True, "revision": current, "expected": expected}}


# ----- Slack ----------------------------------------------------------------------------------
class SlackUnreachable(AstreinteError):
    """Slack's Web API did not answer. Blames ``SLACK_API_URL`` only when it is set."""

    def __init__(self, env: Environment, base_url: str, cause: BaseException, *, checking: str) -> None:
        reason = " ".join(str(cause).split()) or type(cause).__name__
        if env.api_url:
            message = f"SLACK_API_URL: cannot reach Slack's Web API at {base_url} ({reason})"
        else:
            message = (f"cannot reach Slack's Web API at {base_url} to check {checking} ({reason}); "
                       "check this machine's network, DNS and proxy (HTTPS_PROXY)")
        super().__init__(message)


def check_slack_token(env: Environment, client: Any) -> None:
    """One ``auth.test``: the bot token is accepted and Slack is reachable."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    try:
        client.auth_test()
    except SlackApiError as exc:
        raise ConfigError("SLACK_BOT_TOKEN", f"Slack refused it ({exc.response.get('error')}); "
                                             "reinstall the app and copy the Bot User OAuth Token") from None
    except (SlackClientError, OSError) as exc:
        raise SlackUnreachable(env, client.base_url, exc, checking="SLACK_BOT_TOKEN") from None


def check_app_token(env: Environment) -> None:
    """Socket Mode: the app-level token may open a connection (``apps.connections.open``)."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot.slack_client import DEFAULT_API_URL

    client = WebClient(token=env.app_token, base_url=env.api_url or DEFAULT_API_URL, timeout=10)
    try:
        client.apps_connections_open()
    except SlackApiError as exc:
        raise ConfigError("SLACK_APP_TOKEN", f"Slack refused it ({exc.response.get('error')}); make an app-level "
                                             "token with the connections:write scope (Basic Information → "
                                             "App-Level Tokens) and enable Socket Mode") from None
    except (SlackClientError, OSError) as exc:
        raise SlackUnreachable(env, client.base_url, exc, checking="SLACK_APP_TOKEN") from None


# ----- the context ------------------------------------------------------------------------
def build_context(env: Environment, config: AppConfig, *, clock: Clock = system_clock,
                  prepare: bool = True, slack: bool = True, client: Any = None) -> BotContext:
    """Everything listeners and the sender need, from the environment and the process's
    configuration (read once by the command that starts it).

    The account directory is seeded from app.yaml's accounts if it never was (once across
    replicas: ``sla_core.accounts.seed``). ``prepare`` lets the default SQLite file
    upgrade itself. ``astreinte serve`` prepares once in the master process; its
    workers pass ``prepare=False`` and only check the revision. ``slack=False`` (``astreinte
    tick --no-deliver``) needs no token: its client has none and is never called.
    ``client``: a Web API client made by the caller instead of ``make_web_client``'s (the
    tests that count every call give one that retries nothing)."""
    if slack and not env.bot_token:
        raise MissingCredential("SLACK_BOT_TOKEN", "the xoxb- bot token")
    url, is_default = resolve_database_url(env)
    engine = open_database(url, auto_upgrade=prepare and is_default)
    if is_default:
        log.info("using the default SQLite file %s", default_sqlite_path(os.environ))
    if ensure_seeded(engine, config.support, now=clock()):
        log.info("account directory seeded from app.yaml: %d accounts", len(config.support.accounts))
    if client is None:
        client = make_web_client(env.bot_token or "", base_url=env.api_url)
    return BotContext.from_config(config, engine=engine, client=client, clock=clock)


# ----- the runtime --------------------------------------------------------------------------
class Runtime:
    """The background work of one process, started after the app is built (after the
    fork, under gunicorn) and stopped cleanly on SIGTERM.

    - the outbox sender thread;
    - periodic jobs, added with ``add_interval_job`` (the scheduler's tick goes here);
    - ``health()`` and ``metrics_text()`` for ``/healthz`` and ``/metrics``."""

    def __init__(self, ctx: BotContext, *, worker_id: str | None = None, sender: bool = True,
                 tick: bool = True) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.memory import MemoryJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        self.ctx = ctx
        self.worker_id = worker_id or f"{os.uname().nodename}:{os.getpid()}"
        self.stop_event = threading.Event()
        # One thread per job kind is plenty: coalesce missed runs, never run a kind twice at once.
        self.scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()}, executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30}, timezone="UTC")
        self._want_sender = sender
        self._threads: list[threading.Thread] = []
        self._started = False
        self.metrics = _make_metrics(ctx)
        if tick:
            from bot.scheduling import tick_job

            # Every replica ticks; the database decides what is due (SKIP LOCKED claims).
            self.add_interval_job(tick_job(ctx, metrics=self.metrics), ctx.scheduling.tick_seconds,
                                  name="scheduler-tick")

    # ----- periodic jobs --------------------------------------------------------------------
    def add_interval_job(self, func: Callable[[], Any], seconds: float, *, name: str | None = None) -> None:
        """Run ``func`` every ``seconds`` in this process. One job per kind: adding the
        same ``name`` again replaces it. ``func`` reads what is due from the database, so
        a missed run loses nothing (runs are coalesced)."""
        job_id = name or getattr(func, "__qualname__", repr(func))
        self.scheduler.add_job(func, "interval", seconds=seconds, id=job_id, name=job_id, replace_existing=True)
        log.info("periodic job %s every %ss", job_id, seconds)

    # ----- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self._want_sender:
            from bot.delivery import Sender

            sender = Sender(self.ctx, self.worker_id)
            thread = threading.Thread(target=sender.run_forever, args=(self.stop_event,),
                                      name="outbox-sender", daemon=True)
            thread.start()
            self._threads.append(thread)
            log.info("outbox sender started as %s", self.worker_id)
        self.scheduler.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the jobs and the sender; a delivery in flight finishes its Slack call (a
        lost answer would leave an ``outcome_unknown`` row the next sender checks)."""
        self.stop_event.set()
        self.ctx.wake_sender()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for thread in self._threads:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("thread %s still running after %ss; leaving it (daemon)", thread.name, timeout)
        self._threads.clear()
        close_client(self.ctx.client)
        self.ctx.engine.dispose()
        log.info("runtime stopped")

    # ----- /healthz and /metrics ---------------------------------------------------------------
    def health(self) -> HealthReport:
        healthy, detail = database_health(self.ctx.engine)
        if healthy:
            outbox_healthy, outbox = _outbox_health(self.ctx)
            healthy = healthy and outbox_healthy
            detail.update(outbox)
        if self._started and self._threads and not all(t.is_alive() for t in self._threads):
            healthy = False
            detail["sender"] = "stopped"
        return healthy, detail

    def metrics_text(self) -> str:
        return str(self.metrics.text())


def _outbox_health(ctx: BotContext) -> HealthReport:
    from bot.delivery.health import health

    try:
        return health(ctx)
    except SQLAlchemyError as exc:
        return False, {"outbox": {"error": type(exc).__name__}}


def _make_metrics(ctx: BotContext) -> Any:
    """``bot.metrics.Metrics``: gauges read from the database at scrape time (tickets by
    status and severity, outbox rows by status, scheduler lag) and this process's
    histograms (``tick_seconds`` for the scheduler, ``send_seconds``) and counters
    (``astreinte_modals_not_opened``)."""
    from bot.metrics import Metrics

    return Metrics(ctx.uow, ctx.now, ctx.after_ack)
