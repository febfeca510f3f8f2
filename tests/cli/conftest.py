"""Throw-away kata projects for driving the `kata` command as a learner would: real subprocesses.

Builds on the harness's MiniProject (tests/harness/conftest.py): two katas, `day0.demo.add` (a
module) and `day0.demo.report` (a folder with a .sql file), wired through DOJO_ROOT/DOJO_STATE.
Every test also checks that nothing the command did touched solutions/.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from tests.harness.conftest import MiniProject

ADD_SOLVED = "def add(a, b):\n    return a + b\n"
ADD_WRONG = "def add(a, b):\n    return a - b\n"


class CliProject(MiniProject):
    """MiniProject plus helpers to run `kata` and plain pytest the way a learner does."""

    def kata(self, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> pytest.RunResult:
        saved = {k: os.environ.get(k) for k in (env or {})}
        os.environ.update(env or {})
        try:
            return self.pytester.run(sys.executable, "-m", "dojo", *args, timeout=timeout)
        finally:
            for k, v in saved.items():
                os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)

    def pytest(self, *args: str) -> pytest.RunResult:
        """A plain learner run (records progress, unlike MiniProject.run's no-cacheprovider flavour)."""
        return self.pytester.run(sys.executable, "-m", "pytest", *args, timeout=120)

    def write(self, relative: str, text: str) -> Path:
        """Write a file; a test's own edit of solutions/ moves the baseline the teardown checks against."""
        path = super().write(relative, text)
        if relative.startswith("solutions/"):
            self.baseline = self.fingerprint()
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text()

    def fingerprint(self, folder: str = "solutions") -> str:
        digest = hashlib.sha256()
        for path in sorted((self.root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(self.root).as_posix().encode() + path.read_bytes())
        return digest.hexdigest()

    def append_manifest(self, text: str) -> None:
        (self.root / "katas.toml").write_text(self.read("katas.toml") + text)


@pytest.fixture
def project(pytester, monkeypatch) -> CliProject:
    made = CliProject(pytester, monkeypatch)
    monkeypatch.delenv("DOJO_NOW", raising=False)
    monkeypatch.delenv("DOJO_TIME_SCALE", raising=False)
    made.baseline = made.fingerprint()
    yield made
    assert made.fingerprint() == made.baseline, "the kata command wrote into solutions/"


def plain(result: pytest.RunResult) -> str:
    return result.stdout.str()


__all__ = ["ADD_SOLVED", "ADD_WRONG", "CliProject", "Path", "plain"]
