"""`kata bench`: the learner's code, the reference and a naive baseline, timed in one pytest run.

pytest-benchmark does the timing (`-m perf --benchmark-enable --benchmark-only`); its JSON report
gives each contender's mean and spread, and the table here shows the ratios. Saved runs live in the
state folder (`.dojo/benchmarks/`), so `--save` then `--compare` measures a refactor against the
last save, and `--plot` draws the saved runs over time (dojo/learner/bench_plot.py).
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
    stddev_s: float = 0.0


@dataclass(frozen=True)
class SavedRun:
    """One `--save`: when it ran and what it measured."""

    when: str                 # pytest-benchmark's ISO datetime
    timings: list[Timing]


def has_benchmarks(kata: Kata) -> bool:
    return any(USES_BENCHMARK.search(p.read_text(encoding="utf-8")) for p in kata.test_paths())


def storage() -> str:
    return "file://" + str(state.folder("benchmarks"))


def run(kata: Kata, save: bool = False, compare: bool = False, max_time: float | None = None,
        mode: str = "katas") -> tuple[runner.Run, list[Timing], list[Timing]]:
    """One timed run: (the pytest run, this run's timings, the last saved timings if comparing)."""
    previous = last_saved(kata.id) if compare else []
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as tmp:
        report = Path(tmp) / "bench.json"
        extra = ["-m", "perf", "--benchmark-enable", "--benchmark-only", f"--benchmark-json={report}",
                 f"--benchmark-storage={storage()}"]
        if save:
            extra.append("--benchmark-autosave")
        if max_time is not None:
            extra.append(f"--benchmark-max-time={max_time}")
        done = runner.run([kata], *extra, mode=mode)
        timings = parse(json.loads(report.read_text(encoding="utf-8"))) if report.exists() else []
    return done, timings, previous


def contender_of(benchmark: dict) -> str:
    """The contender's name: the `contender` parameter when the test has one, else the name set by race()."""
    params = benchmark.get("params") or {}
    if "contender" in params:
        return str(params["contender"])
    return benchmark["name"].split("[")[0] if not benchmark.get("group") else benchmark["name"]


def parse(report: dict) -> list[Timing]:
    return [Timing(b.get("group") or "", contender_of(b), b["stats"]["mean"], b["stats"].get("stddev") or 0.0)
            for b in report.get("benchmarks", [])]


def saved_runs(group: str) -> list[SavedRun]:
    """Every `--save` of one kata (its benchmark group), oldest first (pytest-benchmark numbers its files)."""
    runs = []
    for path in sorted(state.folder("benchmarks").glob("*/*.json"), key=lambda p: p.name):
        report = json.loads(path.read_text(encoding="utf-8"))
        timings = [t for t in parse(report) if t.group == group]
        if timings:
            runs.append(SavedRun(report.get("datetime", path.stem), timings))
    return runs


def last_saved(group: str) -> list[Timing]:
    """The kata's last save: a save of another kata in between does not hide it."""
    runs = saved_runs(group)
    return runs[-1].timings if runs else []


def rows(timings: list[Timing], previous: list[Timing]) -> list[list[str]]:
    """contender, mean, x reference, x fastest (and vs the last save when comparing)."""
    before = {(t.group, t.contender): t.mean_s for t in previous}
    out = []
    for group in dict.fromkeys(t.group for t in timings):
        mine = [t for t in timings if t.group == group]
        fastest = min(t.mean_s for t in mine)
        reference = next((t.mean_s for t in mine if t.contender == "reference"), None)
        for t in sorted(mine, key=lambda t: t.mean_s):
            row = [group, t.contender, seconds(t.mean_s),
                   f"{t.mean_s / reference:.2f}x" if reference else "-", f"{t.mean_s / fastest:.2f}x"]
            if previous:
                old = before.get((group, t.contender))
                row.append(f"{t.mean_s / old:.2f}x" if old else "-")
            out.append(row)
    return out


def seconds(s: float) -> str:
    for unit, factor in (("s", 1), ("ms", 1e3), ("us", 1e6)):
        if s * factor >= 1:
            return f"{s * factor:.3g} {unit}"
    return f"{s * 1e9:.3g} ns"
