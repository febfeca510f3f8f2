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

    def first_failure(self, max_lines: int = 30) -> str:
        """pytest's report of the first failing test (its --tb=short section), trimmed."""
        lines = self.output.splitlines()
        start = next((i for i, line in enumerate(lines) if SECTION.match(line)), None)
        if start is None:
            return ""
        end = next((j for j in range(start + 1, len(lines)) if SECTION.match(lines[j]) or BANNER.match(lines[j])),
                   len(lines))
        section = lines[start:end]
        if len(section) > max_lines:
            section = section[:max_lines] + ["..."]
        return "\n".join(section)


def learner_env() -> dict[str, str]:
    """The environment of a plain learner run: katas mode, nothing substituted, recording on."""
    env = {**os.environ, impl.ENV_MODE: "katas"}
    for name in (impl.ENV_SUBSTITUTE, results.ENV_NO_RECORD):
        env.pop(name, None)
    return env


def command(test_files: list[Path], *extra: str) -> list[str]:
    return [sys.executable, "-m", "pytest", *(str(p.relative_to(paths.ROOT)) for p in test_files), *extra]


def run(katas: list[Kata], *extra: str, timeout: float | None = None) -> Run:
    test_files = [p for k in katas for p in k.test_paths()]
    with tempfile.TemporaryDirectory(prefix="kata-run-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = command(test_files, "-q", "--tb=short", "-o", "console_output_style=classic",
                      "--dojo-report", str(report), *extra)
        proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=learner_env(), stdout=subprocess.PIPE,
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
