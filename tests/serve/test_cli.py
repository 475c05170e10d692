"""What an operator sees from the command line before anything serves: the database
commands, and refusals that say what to fix (exit 2, one line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from sla_core.persistence.migrate import head_revision
from tests.conftest_db import POSTGRES_URL, PostgresSchemas, url_with_schema
from tests.serve.conftest import astreinte, base_environ


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+pysqlite:///{tmp_path / 'ops.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return url


def test_db_upgrade_on_an_empty_sqlite_then_check_passes(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert f"upgraded from an empty database to {head_revision()}" in capsys.readouterr().out

    assert main(["db", "check"]) == 0
    assert "at the latest revision" in capsys.readouterr().out


def test_db_upgrade_twice_says_it_is_already_current(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    capsys.readouterr()

    assert main(["db", "upgrade"]) == 0
    assert "already at revision" in capsys.readouterr().out


def test_db_check_on_an_empty_sqlite_tells_to_upgrade(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "check"]) == 2
    assert "run `astreinte db upgrade`" in capsys.readouterr().err


def test_db_url_masks_the_password(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://desk:s3cret@db.internal:5432/astreinte")

    assert main(["db", "url"]) == 0

    out = capsys.readouterr().out
    assert out.strip() == "postgresql+psycopg://desk:***@db.internal:5432/astreinte"
    assert "s3cret" not in out


def test_db_url_without_database_url_is_the_default_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    assert main(["db", "url"]) == 0

    assert capsys.readouterr().out.strip() == f"sqlite+pysqlite:///{tmp_path}/astreinte/astreinte.sqlite3"


def test_an_unreachable_database_is_one_line_naming_it_without_password(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://desk:s3cret@127.0.0.1:1/astreinte?connect_timeout=1")

    assert main(["db", "check"]) == 2

    err = capsys.readouterr().err
    assert "cannot reach the database at postgresql+psycopg://desk:***@127.0.0.1:1/astreinte" in err
    assert "s3cret" not in err


def test_serve_without_a_bot_token_exits_2_pointing_to_the_manifest(tmp_path: Path) -> None:
    result = astreinte("serve", "--port", "0", env={**base_environ(tmp_path), "SLACK_SIGNING_SECRET": "x"})

    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "manifest.yaml" in result.stderr
    assert "Set up Slack" in result.stderr


def test_serve_without_a_signing_secret_in_http_mode_exits_2(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")

    assert main(["serve"]) == 2

    err = capsys.readouterr().err
    assert "SLACK_SIGNING_SECRET" in err and "manifest.yaml" in err


@pytest.mark.postgres
def test_an_empty_postgresql_schema_is_refused_until_upgraded(postgres_schemas: PostgresSchemas,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url = url_with_schema(POSTGRES_URL, postgres_schemas.create("astreinte_serve"))
    env = {**base_environ(tmp_path), "DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-1",
           "SLACK_SIGNING_SECRET": "x", "SLACK_API_URL": "http://127.0.0.1:1/api/"}
    monkeypatch.setenv("DATABASE_URL", url)

    serve = astreinte("serve", "--port", "0", env=env)  # refused before gunicorn starts: no auto-upgrade
    assert serve.returncode == 2
    assert "run `astreinte db upgrade`" in serve.stderr

    assert main(["db", "check"]) == 2
    assert "run `astreinte db upgrade`" in capsys.readouterr().err
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "check"]) == 0
