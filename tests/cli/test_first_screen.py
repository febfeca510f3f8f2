"""What a learner sees first, run as they run it: `python3 quickstart.py practice` and `kata check`,
as subprocesses on a copy of the repository (the project's own .venv linked in, so nothing is installed)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREEN_LINES = 40
COPIED = ("katas", "solutions", "dojo", "data_gen", "katas.toml", "conftest.py", "pyproject.toml", "quickstart.py")


@pytest.fixture
def fresh_copy(tmp_path, monkeypatch) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=ignore)
        else:
            shutil.copyfile(source, tmp_path / name)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))      # quickstart finds it installed: no pip run
    monkeypatch.setenv("DOJO_ROOT", str(tmp_path))
    monkeypatch.setenv("DOJO_STATE", str(tmp_path / ".dojo"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    for name in ("DOJO_IMPL", "DOJO_SUBSTITUTE", "DOJO_NOW", "DOJO_TIME_SCALE", "DOJO_NO_RECORD"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def first_kata(prefix: str) -> str:
    entries = tomllib.loads((REPO / "katas.toml").read_text())["kata"]
    return next(e["id"] for e in entries if e["id"].startswith(prefix + "."))


def run(cwd: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.timeout(600)
def test_practice_fits_on_one_screen_and_names_the_first_kata_and_its_command(fresh_copy):
    if not (Path(sys.prefix) / ".installed-from").exists():
        pytest.fail("run this under the .venv that quickstart.py made (python3 quickstart.py test)")
    done = run(fresh_copy, "python3", "quickstart.py", "practice")
    screen = done.stdout.splitlines()
    assert done.returncode == 1, f"red stubs exit 1 as pytest does; got {done.returncode}:\n{done.stdout}{done.stderr}"
    assert len(screen) <= SCREEN_LINES, f"{len(screen)} lines:\n{done.stdout}"
    kata = first_kata("day1")
    assert any(line.startswith(f"start with {kata}: ") for line in screen), done.stdout
    assert any(f"kata check {kata}" in line for line in screen), done.stdout
    assert not any(line.startswith("FAILED ") for line in screen), "the wall of FAILED lines is back"
    assert any(line.startswith("  exercises ") for line in screen), "the per-topic summary is missing"


@pytest.mark.timeout(300)
def test_check_shows_the_first_kata_in_manifest_order_even_when_named_last(fresh_copy):
    """day1.data.parallelism's benchmark fixture errors on the stub, and pytest prints errors first."""
    kata, later = first_kata("day1"), "day1.data.parallelism"
    done = run(fresh_copy, sys.executable, "-m", "dojo", "check", later, kata)
    assert done.returncode == 1, done.stdout + done.stderr
    shown = done.stdout.split("first failure:", 1)[1]
    test_file = "test_" + kata.rsplit(".", 1)[1] + ".py"
    assert test_file in shown.split("all the details:")[0], f"first failure is not {kata}'s:\n{shown}"
    assert "ERROR at setup" not in shown.splitlines()[1], shown
