"""pytest in a child process, from the project root, in katas mode: exactly a plain learner run.

So the recording plugin writes `.dojo/results.json` as it does for `pytest katas/...`, and
`kata status` agrees with whatever the learner saw. The per-test rows come back through the
plugin's `--dojo-report`, the first failure from pytest's own output.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dojo import impl, paths, results
from dojo.manifest import Kata

SECTION = re.compile(r"^_{3,} (.+?) _{3,}$")
BANNER = re.compile(r"^={3,}")


@dataclass
class Run:
    exit_code: int
    rows: list[dict] = field(default_factory=list)
    output: str = ""

    def counts(self, kata_id: str | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            if kata_id is None or row["kata"] == kata_id:
                out[row["outcome"]] = out.get(row["outcome"], 0) + 1
        return out

    def green(self, kata_id: str) -> bool:
        c = self.counts(kata_id)
        return c.get("passed", 0) > 0 and c.get("failed", 0) == 0

    def first_failed_test(self, kata_order: list[str] | None = None) -> str | None:
        """The node id to show first: the first failing test of the first red kata, in the given order.

        pytest prints set-up ERRORS before FAILURES, so its own first section can belong to a kata
        far down the list (a benchmark's fixture); the learner starts with the first kata instead.
        """
        failed = [row for row in self.rows if row["outcome"] == "failed"]
        for kata_id in kata_order or []:
            mine = [row["nodeid"] for row in failed if row["kata"] == kata_id]
            if mine:
                return mine[0]
        return failed[0]["nodeid"] if failed else None

    def first_failure(self, kata_order: list[str] | None = None, max_lines: int = 30) -> str:
        """pytest's report (its --tb=short section) of first_failed_test, trimmed; else its first section."""
        lines = self.output.splitlines()
        starts = [i for i, line in enumerate(lines) if SECTION.match(line)]
        if not starts:
            return ""
        nodeid = self.first_failed_test(kata_order)
        start = next((i for i in starts if nodeid and _section_of(lines, i, nodeid)), starts[0])
        end = next((j for j in range(start + 1, len(lines)) if SECTION.match(lines[j]) or BANNER.match(lines[j])),
                   len(lines))
        section = lines[start:end]
        if len(section) > max_lines:
            section = section[:max_lines] + ["..."]
        return "\n".join(section)


def _section_of(lines: list[str], start: int, nodeid: str) -> bool:
    """Whether the section starting at `start` reports `nodeid`: its title names the test, its body the file.

    A failure's title is the test's name ("TestX.test_y[case]"); a fixture error's is "ERROR at setup
    of test_y[case]". Two files can hold tests of the same name, hence the file check.
    """
    path, _, name = nodeid.partition("::")
    title = SECTION.match(lines[start]).group(1)
    headline = name.replace("::", ".")
    if title != headline and not title.endswith(f" of {headline}"):
        return False
    body = lines[start + 1:start + 60]
    return any(path in line or Path(path).name in line for line in body)


def learner_env(mode: str = "katas") -> dict[str, str]:
    """The environment of a plain learner run: katas mode, nothing substituted, recording on.

    In solutions mode nothing is recorded (the results plugin records katas-mode runs only).
    """
    env = {**os.environ, impl.ENV_MODE: mode}
    for name in (impl.ENV_SUBSTITUTE, results.ENV_NO_RECORD):
        env.pop(name, None)
    return env


def command(test_files: list[Path], *extra: str) -> list[str]:
    return [sys.executable, "-m", "pytest", *(str(p.relative_to(paths.ROOT)) for p in test_files), *extra]


def run(katas: list[Kata], *extra: str, timeout: float | None = None, mode: str = "katas") -> Run:
    test_files = [p for k in katas for p in k.test_paths()]
    with tempfile.TemporaryDirectory(prefix="kata-run-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = command(test_files, "-q", "--tb=short", "-o", "console_output_style=classic",
                      "--dojo-report", str(report), *extra)
        proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=learner_env(mode), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        try:
            output, _ = proc.communicate(timeout=timeout)
        except BaseException:            # Ctrl-C or timeout: never leave a pytest behind
            proc.kill()
            proc.wait()
            raise
        rows = json.loads(report.read_text(encoding="utf-8")) if report.exists() else []
    return Run(proc.returncode, rows, output)


def shown_command(katas: list[Kata]) -> str:
    """The plain pytest command a learner can type for these katas."""
    return "pytest " + " ".join(str(p.relative_to(paths.ROOT)) for k in katas for p in k.test_paths())
