"""Two-sided verification: the katas are honest.

1. the manifest and the files agree;
2. against the untouched stubs every test fails (a test that passes on a stub cannot teach);
3. against the references every test passes, with every service really up;
4. every known-wrong variant fails at least one of its kata's tests.

Each side is one pytest run in a child process, reported per test through `--dojo-report`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dojo import impl, manifest, paths, results, variants

VARIANT_TIMEOUT_S = 600


@dataclass
class Finding:
    kata: str
    check: str          # layout, stub, solution, variant
    message: str


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def count(self, check: str, n: int = 1) -> None:
        self.checked[check] = self.checked.get(check, 0) + n

    @property
    def ok(self) -> bool:
        return not self.findings


def layout_problems(katas: list[manifest.Kata]) -> list[Finding]:
    """Every id has stub, tests, solution, two hints and a wrong variant; no file without an id."""
    found = []
    for kata in katas:
        lacks = [what for what, ok in (
            ("stub", kata.stub_paths()), ("tests", kata.test_paths()), ("solution", kata.solution_paths()),
            ("two hints", len(kata.hints) >= 2), ("a wrong variant", kata.wrong_variants()),
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
    """One child pytest run; returns its per-test rows (nodeid, kata, outcome)."""
    with tempfile.TemporaryDirectory(prefix="dojo-verify-") as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, impl.ENV_MODE: mode, impl.ENV_SUBSTITUTE: substitute, results.ENV_NO_RECORD: "1"}
        cmd = [sys.executable, "-m", "pytest", *map(str, test_files), "--require-services", "-q",
               "--benchmark-disable", "--dojo-report", str(report), "-o", "console_output_style=classic"]
        try:
            done = subprocess.run(cmd, cwd=paths.ROOT, env=env, capture_output=True, text=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return [{"nodeid": "<run>", "kata": None, "outcome": f"timed out after {timeout} s"}]
        if not report.exists():
            tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
            return [{"nodeid": "<run>", "kata": None, "outcome": f"pytest crashed: {' | '.join(tail)}"}]
        return json.loads(report.read_text(encoding="utf-8"))


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


def variant_finding(kata: manifest.Kata, variant: Path) -> Finding | None:
    with tempfile.TemporaryDirectory(prefix="dojo-variant-") as tmp:
        try:
            substitute = variants.apply(kata, variant, Path(tmp))
        except RuntimeError as exc:
            return Finding(kata.id, "variant", str(exc))
        rows = run_pytest(kata.test_paths(), "solutions", f"{kata.id}={substitute}", timeout=VARIANT_TIMEOUT_S)
    if any(row["outcome"] == "failed" for row in rows):
        return None
    if any(row["nodeid"] == "<run>" for row in rows):
        return Finding(kata.id, "variant", f"{variant.name}: {rows[0]['outcome']}")
    return Finding(kata.id, "variant", f"{variant.name} passes every test: the bug it shows is not caught "
                                       f"({variants.describe(variant)})")


def verify(katas: list[manifest.Kata], sides: tuple[str, ...] = ("layout", "stub", "solution", "variant"),
           say=print) -> Report:
    report = Report()
    ids = [k.id for k in katas]
    test_files = [p for k in katas for p in k.test_paths()]
    if "layout" in sides:
        report.findings += layout_problems(katas)
        report.count("layout", len(katas))
    for side, mode, want in (("stub", "katas", "failed"), ("solution", "solutions", "passed")):
        if side in sides and test_files:
            say(f"verify: running every test against {mode}/ ...")
            rows = run_pytest(test_files, mode)
            report.findings += side_findings(ids, rows, side, want)
            report.count(side, len(rows))
    if "variant" in sides:
        for kata in katas:
            for variant in kata.wrong_variants():
                say(f"verify: wrong variant {kata.id}/{variant.name} ...")
                finding = variant_finding(kata, variant)
                report.count("variant")
                if finding:
                    report.findings.append(finding)
    return report
