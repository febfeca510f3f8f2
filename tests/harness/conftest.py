"""A tiny kata project on disk, so the harness can be tested without touching the real katas."""
from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

MANIFEST = '''
[[kata]]
id = "day0.demo.add"
title = "Add"
seed = "demo"
hints = ["one", "two"]

[[kata]]
id = "day0.demo.report"
title = "A SQL artefact"
seed = "demo"
hints = ["one", "two"]
'''


class MiniProject:
    """A kata project in a temp dir, wired to this repo's harness through DOJO_ROOT and PYTHONPATH."""

    def __init__(self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
        self.pytester = pytester
        self.root = pytester.path
        monkeypatch.setenv("DOJO_ROOT", str(self.root))
        monkeypatch.setenv("DOJO_STATE", str(self.root / ".dojo"))
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), str(self.root)]))
        for name in ("DOJO_IMPL", "DOJO_SUBSTITUTE", "DOJO_PG_DSN", "DOJO_PG_BINDIR", "DOJO_REQUIRE_SERVICES"):
            monkeypatch.delenv(name, raising=False)
        self.write("conftest.py", 'pytest_plugins = ["dojo.plugin"]\n')
        self.ini()
        self.write("katas.toml", MANIFEST)
        self.write("katas/__init__.py", (REPO / "katas" / "__init__.py").read_text())
        self.write("katas/day0/__init__.py", "")
        self.write("katas/day0/demo/__init__.py", "")
        self.write("katas/day0/demo/add.py", "def add(a, b):\n    raise NotImplementedError('TODO')\n")
        self.write("solutions/day0/demo/add.py", "def add(a, b):\n    return a + b\n")
        self.write("katas/day0/demo/test_add.py", """
            from katas.day0.demo.add import add

            def test_adds():
                assert add(2, 3) == 5
        """)
        self.write("katas/day0/demo/report/query.sql", "SELECT 'TODO' AS todo;\n")
        self.write("solutions/day0/demo/report/query.sql", "SELECT 42 AS answer;\n")
        self.write("katas/day0/demo/report/__init__.py", "")
        self.write("katas/day0/demo/report/test_report.py", """
            from dojo.impl import kata_file

            def test_reads_the_switched_artefact():
                assert "42" in kata_file("day0.demo.report", "query.sql").read_text()
        """)

    def ini(self, extra: str = "") -> None:
        self.write("pytest.ini", f"[pytest]\nasyncio_default_fixture_loop_scope = function\n{extra}\n")

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    def run(self, *args: str, timeout: float = 120) -> pytest.RunResult:
        return self.pytester.run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args, timeout=timeout)

    def kata(self, *args: str, timeout: float = 300) -> pytest.RunResult:
        return self.pytester.run(sys.executable, "-m", "dojo", *args, timeout=timeout)


@pytest.fixture
def project(pytester, monkeypatch) -> MiniProject:
    return MiniProject(pytester, monkeypatch)
