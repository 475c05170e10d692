"""Where the configuration comes from: the app.yaml bundled in the package (the
repository's root app.yaml is that same file), ``$ASTREINTE_CONFIG``, ``--config`` before
or after the subcommand; and ``astreinte init``, which writes the commented default."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sla_core.config import default_config_text
from tests.config.conftest import APP_YAML, REPO, Run, setting


def test_the_repository_s_app_yaml_is_the_file_the_package_ships() -> None:
    assert APP_YAML.resolve() == (REPO / "sla_core" / "config" / "app.yaml").resolve()
    assert default_config_text() == APP_YAML.read_text(encoding="utf-8")


def test_init_writes_the_commented_default_that_check_config_accepts(
        astreinte: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    written = astreinte("init")

    assert written.code == 0, written.err
    text = (tmp_path / "app.yaml").read_text(encoding="utf-8")
    assert text == default_config_text() and "# Reading 1" in text
    assert astreinte("check-config", "app.yaml").code == 0


def test_init_refuses_to_overwrite_a_file_without_force(astreinte: Callable[..., Run], tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("policy: {}\n", encoding="utf-8")

    refused = astreinte("init", str(mine))

    assert refused.code == 2
    assert refused.lines == [f"astreinte: {mine}: already exists; keep it, or pass --force to overwrite it"]
    assert mine.read_text(encoding="utf-8") == "policy: {}\n"

    assert astreinte("init", str(mine), "--force").code == 0
    assert mine.read_text(encoding="utf-8") == default_config_text()


def test_every_way_of_naming_the_file_is_honoured(astreinte: Callable[..., Run],
                                                 edited: Callable[..., Path]) -> None:
    # A file whose business day ends at 17:00 moves a Low ticket's callback.
    short_days = str(edited(setting("policy", "business_hours", "close", value="17:00")))
    argv = ("sla", "deadlines", "--severity", "low", "--opened", "2026-11-23T17:30")

    bundled = astreinte(*argv)
    by_env = astreinte(*argv, env={"ASTREINTE_CONFIG": short_days})
    before = astreinte("--config", short_days, *argv)
    after = astreinte(*argv, "--config", short_days)

    assert bundled.code == 0 and '"callback_due": "2026-11-25T17:30:00+01:00"' in bundled.out
    for result in (by_env, before, after):
        assert result.code == 0 and '"callback_due": "2026-11-25T17:30:00+01:00"' not in result.out, result.err


@pytest.mark.parametrize("argv", [["demo"], ["tick", "--no-deliver"], ["report", "--month", "2026-11"],
                                  ["outage", "status"], ["maintenance", "list"], ["check-config"]])
def test_every_command_reads_astreinte_config(astreinte: Callable[..., Run], tmp_path: Path,
                                              argv: list[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("policy: [not, a, mapping]\n", encoding="utf-8")

    refused = astreinte(*argv, env={"ASTREINTE_CONFIG": str(broken)})

    assert refused.code == 2
    assert refused.lines[0].startswith("astreinte: policy: must be a mapping, not list"), refused.err
