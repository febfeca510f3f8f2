"""Two-sided verification: the katas are honest.

1. the manifest and the files agree;
2. against the untouched stubs every test fails (a test that passes on a stub cannot teach);
3. against the references every test passes, with every service really up;
4. every known-wrong variant fails at least one of its kata's tests.

Each side, and each variant, is one pytest run in a child process (dojo/child_runs.py), reported
per test through `--dojo-report`. Runs go two at a time; a variant's run stops at its first failure,
and its time limit comes from what its kata's tests took on the reference.
"""
from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dojo import manifest, paths, variants
from dojo.child_runs import DEFAULT_WORKERS, ChildRun, Outcome, Shared, execute, shared_services

VARIANT_TIMEOUT_S = 600            # when the reference's own time is unknown
VARIANT_TIMEOUT_FLOOR_S = 120      # start-up (a Spark session, a server) on a busy machine
VARIANT_TIMEOUT_FACTOR = 5         # times the kata's tests on the reference


@dataclass
class Finding:
    kata: str
    check: str          # layout, stub, solution, variant
    message: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=dict)        # side -> per-test rows
    variants: dict[str, Finding | None] = field(default_factory=dict)  # "kata/variant.diff" -> finding
    seconds: dict[str, float] = field(default_factory=dict)          # stage -> wall time

    def count(self, check: str, n: int = 1) -> None:
        self.checked[check] = self.checked.get(check, 0) + n

    @property
    def ok(self) -> bool:
        return not self.findings


def layout_problems(katas: list[manifest.Kata]) -> list[Finding]:
    """Every id has stub, tests, solution, two hints and a wrong variant (a mock kata its model answer too);
    no file without an id."""
    found = []
    for kata in katas:
        lacks = [what for what, ok in (
            ("stub", kata.stub_paths()), ("tests", kata.test_paths()), ("solution", kata.solution_paths()),
            ("two hints", len(kata.hints) >= 2), ("a wrong variant", kata.wrong_variants()),
            (f"its model answer ({kata.model_answer.relative_to(paths.ROOT)})",
             not kata.is_mock or kata.model_answer.is_file()),
        ) if not ok]
        if lacks:
            found.append(Finding(kata.id, "layout", f"missing {', '.join(lacks)}"))
    ids = {k.id for k in manifest.load()}      # strays are judged against the whole manifest
    owned_tests = {p.resolve() for k in manifest.load() for p in k.test_paths()}
    for test_file in paths.KATAS.rglob("test_*.py"):
        if test_file.resolve() not in owned_tests:
            found.append(Finding("-", "layout", f"{test_file.relative_to(paths.ROOT)} belongs to no kata in katas.toml"))
    for solution in paths.SOLUTIONS.rglob("*"):
        if solution.is_file() and "__pycache__" not in solution.parts and not _owned(solution, paths.SOLUTIONS, ids):
            found.append(Finding("-", "layout", f"{solution.relative_to(paths.ROOT)} belongs to no kata in katas.toml"))
    for variant in paths.WRONG_VARIANTS.rglob("*.diff"):
        if not _owned(variant.parent, paths.WRONG_VARIANTS, ids, folder=True):
            found.append(Finding("-", "layout", f"{variant.relative_to(paths.ROOT)} belongs to no kata in katas.toml"))
    return found


def _owned(path: Path, root: Path, ids: set[str], folder: bool = False) -> bool:
    parts = path.relative_to(root).with_suffix("").parts if not folder else path.relative_to(root).parts
    return any(".".join(parts[:n]) in ids for n in range(1, len(parts) + 1))


def run_pytest(test_files: list[Path], mode: str, substitute: str = "", timeout: float | None = None) -> list[dict]:
    """One child pytest run; returns its per-test rows (nodeid, kata, outcome, seconds)."""
    return execute(ChildRun("run", tuple(test_files), mode, substitute, timeout)).rows


def by_kata(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["kata"] or "-", []).append(row)
    return grouped


def side_findings(kata_ids: list[str], rows: list[dict], check: str, want: str) -> list[Finding]:
    """Tests whose outcome is not `want`, reported by name; a kata with no test run is a finding too."""
    grouped = by_kata(rows)
    found = [Finding(row["kata"] or "-", check, f"{row['nodeid']}: {row['outcome']} (expected {want})")
             for row in rows if row["outcome"] != want]
    found += [Finding(kid, check, "no test ran") for kid in kata_ids if kid not in grouped]
    return found


def variant_timeout(kata_seconds: float | None) -> float:
    """Long enough for the kata's start-up and all its tests on a busy machine, short enough to end a hang."""
    if kata_seconds is None:
        return VARIANT_TIMEOUT_S
    return VARIANT_TIMEOUT_FLOOR_S + VARIANT_TIMEOUT_FACTOR * kata_seconds


def variant_finding(kata: manifest.Kata, variant: Path, timeout: float = VARIANT_TIMEOUT_S,
                    shared: Shared | None = None) -> Finding | None:
    """None when some test fails on the variant; otherwise what went wrong, naming the variant."""
    with tempfile.TemporaryDirectory(prefix="dojo-variant-") as tmp:
        try:
            substitute = variants.apply(kata, variant, Path(tmp))
        except RuntimeError as exc:
            return Finding(kata.id, "variant", str(exc))
        run = ChildRun(f"{kata.id}/{variant.name}", tuple(kata.test_paths()), "solutions",
                       f"{kata.id}={substitute}", timeout, first_failure=True)
        outcome = execute(run, shared)
    if any(row["outcome"] == "failed" for row in outcome.rows):
        return None
    if outcome.broken:
        return Finding(kata.id, "variant", f"{variant.name}: {outcome.broken}")
    return Finding(kata.id, "variant", f"{variant.name} passes every test: the bug it shows is not caught "
                                       f"({variants.describe(variant)})")


def kata_seconds(rows: list[dict]) -> dict[str, float]:
    """Each kata's total test time in a run."""
    total: dict[str, float] = {}
    for row in rows:
        if row["kata"]:
            total[row["kata"]] = total.get(row["kata"], 0.0) + row.get("seconds", 0.0)
    return total


def verify(katas: list[manifest.Kata], sides: tuple[str, ...] = ("layout", "stub", "solution", "variant"),
           say=print, workers: int = DEFAULT_WORKERS) -> Report:
    """Every check of `sides` for these katas; child runs go `workers` at a time."""
    report = Report()
    started = time.perf_counter()
    ids = [k.id for k in katas]
    test_files = tuple(p for k in katas for p in k.test_paths())
    if "layout" in sides:
        report.findings += layout_problems(katas)
        report.count("layout", len(katas))
    need = {service for k in katas for service in k.needs}
    with shared_services("pg" in need, "spark" in need, workers) as shared, \
            ThreadPoolExecutor(max_workers=workers) as pool:
        sides_run = {}
        for side, mode in (("stub", "katas"), ("solution", "solutions")):
            if side in sides and test_files:
                say(f"verify: running every test against {mode}/ ...")
                sides_run[side] = pool.submit(execute, ChildRun(side, test_files, mode), shared)
        timings: dict[str, float] | None = None
        if "solution" in sides_run:
            solution: Outcome = sides_run["solution"].result()
            timings = kata_seconds(solution.rows)
        pending = {}
        if "variant" in sides:
            for kata in sorted(katas, key=lambda k: -(timings or {}).get(k.id, 0.0)):   # longest first
                timeout = variant_timeout(timings.get(kata.id) if timings is not None else None)
                for variant in kata.wrong_variants():
                    pending[f"{kata.id}/{variant.name}"] = pool.submit(
                        _timed, variant_finding, kata, variant, timeout, shared)
        for side, want in (("stub", "failed"), ("solution", "passed")):
            if side in sides_run:
                outcome = sides_run[side].result()
                report.rows[side] = outcome.rows
                report.seconds[side] = outcome.seconds
                report.findings += side_findings(ids, outcome.rows, side, want)
                report.count(side, len(outcome.rows))
        for name, future in pending.items():
            finding, seconds = future.result()
            say(f"verify: wrong variant {name}: {'caught' if finding is None else 'NOT caught'} ({seconds:.1f} s)")
            report.variants[name] = finding
            report.seconds["variant runs (summed)"] = report.seconds.get("variant runs (summed)", 0.0) + seconds
            report.count("variant")
            if finding:
                report.findings.append(finding)
    report.seconds["total (wall)"] = time.perf_counter() - started
    return report


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started
