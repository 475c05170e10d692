"""The runtime of one process: periodic jobs are one per kind, and /healthz turns 503
when the database falls behind the code."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app import build_app
from bot.runtime import Runtime, build_context
from bot.server import AstreinteWSGI
from bot.settings import Environment
from bot.offline import serve_wsgi
from tests.doubles.faulty_slack import FaultySlack
from sla_core.config import load_config
from sla_core.persistence.migrate import upgrade_database
from tests.serve.conftest import SECRET, http_get


@pytest.fixture
def runtime(tmp_path: Path, fake_slack: FaultySlack) -> Iterator[Runtime]:
    url = f"sqlite+pysqlite:///{tmp_path / 'rt.sqlite3'}"
    upgrade_database(url)
    env = Environment(bot_token="xoxb-rt", signing_secret=SECRET, api_url=fake_slack.base_url, database_url=url)
    rt = Runtime(build_context(env, load_config()))
    yield rt
    rt.stop()


def test_an_interval_job_runs_and_a_second_one_of_the_same_kind_replaces_it(runtime: Runtime) -> None:
    ran = threading.Event()
    runtime.add_interval_job(lambda: None, 3600, name="tick")
    runtime.add_interval_job(ran.set, 0.05, name="tick")
    runtime.start()

    assert ran.wait(3)
    assert sorted(job.id for job in runtime.scheduler.get_jobs()) == ["scheduler-tick", "tick"]


def test_every_runtime_runs_the_scheduler_tick_at_the_configured_interval(runtime: Runtime) -> None:
    [job] = [j for j in runtime.scheduler.get_jobs() if j.id == "scheduler-tick"]
    assert job.trigger.interval.total_seconds() == 15  # app.yaml: scheduler.tick_seconds


def test_stop_ends_the_sender_thread(runtime: Runtime) -> None:
    runtime.start()
    threads = list(runtime._threads)

    runtime.stop()

    assert threads and not any(t.is_alive() for t in threads)


def test_healthz_is_503_when_the_database_is_behind_the_code(runtime: Runtime) -> None:
    app = build_app(runtime.ctx, signing_secret=SECRET)
    with serve_wsgi(AstreinteWSGI(app, health=runtime.health, metrics=runtime.metrics_text)) as url:
        assert http_get(url + "/healthz")[0] == 200
        with runtime.ctx.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))

        status, body = http_get(url + "/healthz")

    assert status == 503
    assert body["status"] == "degraded"
    assert body["database"]["revision"] == "0001"
