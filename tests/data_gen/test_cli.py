"""The command line: one clear error line and exit 2 on bad input; never a partial file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def data_gen(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data_gen", *args],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["transactions", "--rows", "-5"], "--rows must be a positive integer, got -5"),
        (["transactions", "--rows", "abc"], "--rows must be a positive integer"),
        (["nope", "--rows", "5"], "known datasets: users, transactions"),
        (["transactions", "--rows", "5", "--size", "1MB"], "not allowed with argument"),
        (["transactions"], "give exactly one of --rows or --size"),
        (["transactions", "--size", "ten gigs"], "--size: cannot read size"),
        (["transactions", "--rows", "5", "--out", "/no/such/dir/x.csv"], "output directory"),
        (["events", "--rows", "5", "--format", "csv"], "cannot be written as csv"),
        (["transactions", "--rows", "5", "--format", "xml"], "unknown format"),
        (["transactions", "--size", "60B"], "too small to hold a single row"),
        (["transactions", "--rows", "5", "--workers", "0"], "--workers must be a positive integer, got 0"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, args, expected):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "out.csv")]
    proc = data_gen(*args)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("data_gen: error: ")
    assert expected in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_success_prints_a_summary_unless_quiet(tmp_path):
    loud = data_gen("users", "--rows", "10", "--out", str(tmp_path / "u.csv"))
    quiet = data_gen("users", "--rows", "10", "--out", str(tmp_path / "q.csv"), "--quiet")
    assert loud.returncode == quiet.returncode == 0
    assert "wrote 10 rows" in loud.stderr
    assert quiet.stderr == "" and quiet.stdout == ""
    assert (tmp_path / "u.csv").read_bytes() == (tmp_path / "q.csv").read_bytes()


def test_progress_bar_shows_done_total_and_rate(tmp_path):
    proc = data_gen(
        "transactions", "--size", "30MB", "--workers", "1", "--progress", "--out", str(tmp_path / "t.csv")
    )
    assert proc.returncode == 0
    assert "30.0 MB/30.0 MB" in proc.stderr and "MB/s" in proc.stderr and "100.0%" in proc.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_no_file(tmp_path, sig):
    out = tmp_path / "big.csv"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "data_gen",
            "transactions",
            "--size",
            "20GB",
            "--workers",
            "2",
            "--quiet",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not any(p.stat().st_size > 10_000_000 for p in tmp_path.iterdir()):  # writing for real
            assert time.monotonic() < deadline and proc.poll() is None, "generation never started"
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert workers, "expected worker processes"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == (130 if sig == signal.SIGINT else 128 + signal.SIGTERM)
    assert list(tmp_path.iterdir()) == [], "partial or temp file left behind"
    assert len(stderr.splitlines()) <= 1, stderr
    time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)], "worker processes survived"


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (the pool workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"PPid:\t{pid}\n" in (entry / "status").read_text():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state
