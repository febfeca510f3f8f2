"""Every test run's outcomes, per kata: for `kata verify` (a JSON report) and for progress.

A plain learner run (`pytest katas/...` in katas mode) updates `.dojo/results.json`, so the
`kata` command and pytest never disagree about what is solved.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from dojo import impl, manifest, paths

ENV_NO_RECORD = "DOJO_NO_RECORD"


def outcome_of(reports: list[pytest.TestReport]) -> str:
    """One word per test: failed if any phase failed, skipped if skipped, else passed."""
    if any(r.failed for r in reports):
        return "failed"
    if any(r.skipped for r in reports):
        return "skipped"
    return "passed"


class Recorder:
    def __init__(self, config: pytest.Config):
        self.config = config
        self.reports: dict[str, list[pytest.TestReport]] = {}
        self.kata_of_file: dict[Path, str] = {}
        if paths.MANIFEST.exists():
            for kata in manifest.load():
                for test_file in kata.test_paths():
                    self.kata_of_file[test_file.resolve()] = kata.id

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.reports.setdefault(report.nodeid, []).append(report)

    def kata_for(self, nodeid: str) -> str | None:
        file_part = nodeid.split("::", 1)[0]
        return self.kata_of_file.get((self.config.rootpath / file_part).resolve())

    def rows(self) -> list[dict]:
        return [{"nodeid": nodeid, "kata": self.kata_for(nodeid), "outcome": outcome_of(reports),
                 "seconds": round(sum(r.duration for r in reports), 3)}
                for nodeid, reports in self.reports.items()]

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        rows = self.rows()
        report_path = self.config.getoption("dojo_report")
        if report_path:
            Path(report_path).write_text(json.dumps(rows, indent=1), encoding="utf-8")
        if self.learner_run():
            record_progress(rows)

    def learner_run(self) -> bool:
        return (impl.current_mode() == "katas" and not impl.substitutes()
                and not os.environ.get(ENV_NO_RECORD))


def progress_file() -> Path:
    return paths.STATE / "results.json"


def load_progress() -> dict:
    try:
        return json.loads(progress_file().read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def record_progress(rows: list[dict]) -> None:
    """Merge this run's outcomes into the learner's state, test by test."""
    progress = load_progress()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for row in rows:
        if row["kata"] is None:
            continue
        entry = progress.setdefault(row["kata"], {"tests": {}})
        entry["tests"][row["nodeid"]] = row["outcome"]
        entry["last_run"] = now
    paths.STATE.mkdir(parents=True, exist_ok=True)
    tmp = progress_file().with_suffix(".tmp")
    tmp.write_text(json.dumps(progress, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, progress_file())
