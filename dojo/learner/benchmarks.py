"""`kata bench`: the learner's code, the reference and a naive baseline, timed in one pytest run.

pytest-benchmark does the timing (`-m perf --benchmark-enable --benchmark-only`); its JSON report
gives each contender's mean, and the table here shows the ratios. Saved runs live in the state
folder (`.dojo/benchmarks/`), so `--save` then `--compare` measures a refactor against the last save.
"""
from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dojo.learner import runner, state
from dojo.manifest import Kata

USES_BENCHMARK = re.compile(r"def test_\w+\([^)]*\bbenchmark\b")


@dataclass(frozen=True)
class Timing:
    group: str
    contender: str
    mean_s: float


def has_benchmarks(kata: Kata) -> bool:
    return any(USES_BENCHMARK.search(p.read_text(encoding="utf-8")) for p in kata.test_paths())


def storage() -> str:
    return "file://" + str(state.folder("benchmarks"))


def run(kata: Kata, save: bool = False, compare: bool = False,
        max_time: float | None = None) -> tuple[runner.Run, list[Timing], list[Timing]]:
    """One timed run: (the pytest run, this run's timings, the last saved timings if comparing)."""
    previous = last_saved() if compare else []
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as tmp:
        report = Path(tmp) / "bench.json"
        extra = ["-m", "perf", "--benchmark-enable", "--benchmark-only", f"--benchmark-json={report}",
                 f"--benchmark-storage={storage()}"]
        if save:
            extra.append("--benchmark-autosave")
        if max_time is not None:
            extra.append(f"--benchmark-max-time={max_time}")
        done = runner.run([kata], *extra)
        timings = parse(json.loads(report.read_text(encoding="utf-8"))) if report.exists() else []
    return done, timings, previous


def parse(report: dict) -> list[Timing]:
    return [Timing(b.get("group") or "", b["name"].split("[")[0] if not b.get("group") else b["name"],
                   b["stats"]["mean"]) for b in report.get("benchmarks", [])]


def last_saved() -> list[Timing]:
    saved = sorted(state.folder("benchmarks").glob("*/*.json"), key=lambda p: p.name)
    return parse(json.loads(saved[-1].read_text(encoding="utf-8"))) if saved else []


def rows(timings: list[Timing], previous: list[Timing]) -> list[list[str]]:
    """contender, mean, x reference, x fastest (and vs the last save when comparing)."""
    before = {(t.group, t.contender): t.mean_s for t in previous}
    out = []
    for group in dict.fromkeys(t.group for t in timings):
        mine = [t for t in timings if t.group == group]
        fastest = min(t.mean_s for t in mine)
        reference = next((t.mean_s for t in mine if t.contender == "reference"), None)
        for t in sorted(mine, key=lambda t: t.mean_s):
            row = [group, t.contender, _seconds(t.mean_s),
                   f"{t.mean_s / reference:.2f}x" if reference else "-", f"{t.mean_s / fastest:.2f}x"]
            if previous:
                old = before.get((group, t.contender))
                row.append(f"{t.mean_s / old:.2f}x" if old else "-")
            out.append(row)
    return out


def _seconds(s: float) -> str:
    for unit, factor in (("s", 1), ("ms", 1e3), ("us", 1e6)):
        if s * factor >= 1:
            return f"{s * factor:.3g} {unit}"
    return f"{s * 1e9:.3g} ns"
