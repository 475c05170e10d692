"""The package installs anywhere: the wheel built from this checkout, installed into a
fresh virtual environment outside it, runs from an empty folder with its bundled app.yaml,
and honours ASTREINTE_CONFIG. Slow (a build and an install), but CI runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "sla_core", "bot", "messages")


def _run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.mark.slow
def test_the_wheel_runs_demo_and_check_config_from_an_empty_folder(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building in the checkout would leave build/ and egg-info there
    source.mkdir()
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(origin, source / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source,
                 cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("astreinte-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packaged = archive.read("sla_core/config/app.yaml").decode()
        shipped = archive.namelist()
    test_doubles = ("faults.py", "faulty_slack.py", "forged_deliveries.py", "tls.py")
    assert [name for name in shipped if name.startswith("tests/") or name.endswith(test_doubles)] == []
    assert "bot/offline/fake_slack.py" in shipped  # what the demo needs does ship
    assert packaged == (REPO / "app.yaml").read_text(encoding="utf-8")  # the real content, not a link

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv, cwd=tmp_path).returncode == 0
    installed = _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path, timeout=600)
    assert installed.returncode == 0, installed.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": str(tmp_path / "home"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "LANG": "C.UTF-8"}
    astreinte = venv / "bin" / "astreinte"

    checked = _run(astreinte, "check-config", cwd=empty, env=env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("the bundled app.yaml: OK — Europe/Paris")

    demo = _run(astreinte, "demo", "--lang", "en", cwd=empty, env=env)
    assert demo.returncode == 0, demo.stderr
    assert "INC-2026-000001" in demo.stdout

    assert _run(astreinte, "init", cwd=empty, env=env).returncode == 0
    mine = (empty / "app.yaml").read_text(encoding="utf-8").replace('timezone: Europe/Paris', 'timezone: Mars/Olympus')
    (empty / "app.yaml").write_text(mine, encoding="utf-8")
    refused = _run(astreinte, "demo", cwd=empty, env={**env, "ASTREINTE_CONFIG": "app.yaml"})
    assert refused.returncode == 2
    assert refused.stderr == 'astreinte: policy.timezone: "Mars/Olympus" is not a known time zone\n'
