"""Tests for the robust file pipeline: `pytest katas/mock/python/test_robust_pipeline.py`.

The transform is `Enricher` below: it adds VAT and fails on purpose as each record asks (a bad
amount, a transient error n times, a crash). Sleeping is injected and recorded, never real. Crashes
come in two strengths: an exception (`Crash`, a BaseException like KeyboardInterrupt) that unwinds
through `with` blocks, and a hard kill (os._exit in a child process) that skips every `finally` and
loses whatever sat in Python's write buffers. After either, a rerun must give the files of one
clean run.
"""
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.python.robust_pipeline import (
    CHECKPOINT,
    DEAD_LETTER,
    OUTPUT,
    RunSummary,
    TransientError,
    run_pipeline,
)

ROOT = Path(__file__).resolve().parents[3]
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None   # memory-backed: fsync costs nothing there


class Crash(BaseException):
    """The process dies here (like KeyboardInterrupt): not the record's fault."""


class Enricher:
    """The transform: {"id", "amount"} -> {"id", "amount", "vat"}; records can ask it to fail."""

    def __init__(self, crash_at: int | None = None):
        self.crash_at = crash_at
        self.calls: list = []                    # the id of each call, in order
        self.failed: Counter = Counter()

    def __call__(self, record: dict) -> dict:
        self.calls.append(record.get("id"))
        if record["id"] == self.crash_at:
            raise Crash(f"crash while transforming id {self.crash_at}")
        if self.failed[record["id"]] < record.get("transient", 0):
            self.failed[record["id"]] += 1
            raise TransientError(f"service busy for id {record['id']}")
        amount = record["amount"]
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise ValueError(f"amount {amount!r} is not a number")
        return {"id": record["id"], "amount": amount, "vat": round(amount * 0.2, 2)}


def good(i: int, **extra) -> bytes:
    return json.dumps({"id": i, "amount": i * 10, **extra}).encode()


def write_source(folder: Path, lines: list[bytes], end: bytes = b"\n", final_end: bool = True) -> Path:
    path = folder / "source.jsonl"
    path.write_bytes(end.join(lines) + (end if final_end else b""))
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def outputs(out_dir: Path) -> tuple[list[dict], list[dict]]:
    return read_jsonl(out_dir / OUTPUT), read_jsonl(out_dir / DEAD_LETTER)


def files(out_dir: Path) -> tuple[bytes, bytes]:
    return (out_dir / OUTPUT).read_bytes(), (out_dir / DEAD_LETTER).read_bytes()


def run(source, out_dir, transform=None, **kwargs):
    """run_pipeline with a recording sleep; returns (summary, sleeps)."""
    sleeps: list[float] = []
    summary = run_pipeline(source, out_dir, transform or Enricher(), sleep=sleeps.append, **kwargs)
    return summary, sleeps


# ---------------------------------------------------------------- every bad line lands in the dead-letter file

BAD_LINES = {
    # name: (the bad line 2, the start of its reason, its raw text in the dead-letter file)
    "not valid JSON": (b'{"id": 2, "amount":', "invalid JSON: ", '{"id": 2, "amount":'),
    "JSON but not an object": (b"[2, 20]", "not a JSON object: list", "[2, 20]"),
    "not UTF-8": (b'{"id": 2, "name": "\xff"}', "not UTF-8: ", '{"id": 2, "name": "\\xff"}'),
    "the transform raises ValueError": (b'{"id": 2, "amount": "ten"}', "ValueError: amount 'ten' is not a number",
                                        '{"id": 2, "amount": "ten"}'),
    "the transform raises KeyError": (b'{"amount": 5}', "KeyError: 'id'", '{"amount": 5}'),
}


@pytest.mark.parametrize("line,reason,raw", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_a_bad_line_goes_to_the_dead_letter_file_and_the_run_goes_on(tmp_path, line, reason, raw):
    source = write_source(tmp_path, [good(1), line, good(3)])
    summary, _ = run(source, tmp_path / "out")
    written, dead = outputs(tmp_path / "out")
    assert [r["id"] for r in written] == [1, 3], f"lines 1 and 3 are good; output.jsonl holds {written}"
    assert len(dead) == 1 and dead[0]["line"] == 2 and dead[0]["raw"] == raw, (
        f"line 2 {line!r} must give one dead letter with line=2 and raw={raw!r}; got {dead}")
    assert dead[0]["reason"].startswith(reason), f"the reason for {line!r} was {dead[0]['reason']!r}, expected {reason!r}..."
    assert summary == RunSummary(lines_read=3, written=2, dead_lettered=1, skipped_blank=0, retries=0,
                                 resumed_from=1), f"run_pipeline returned {summary}"


def test_line_ends_blank_lines_and_a_missing_final_newline(tmp_path):
    lines = [good(1), b"", b"   ", b"oops", good(5)]
    source = write_source(tmp_path, lines, end=b"\r\n", final_end=False)
    summary, _ = run(source, tmp_path / "out")
    written, dead = outputs(tmp_path / "out")
    assert [r["id"] for r in written] == [1, 5], f"CRLF lines, the last without a line end: output was {written}"
    assert [(d["line"], d["raw"]) for d in dead] == [(4, "oops")], f"dead letters: {dead}, expected line 4 'oops'"
    assert summary == RunSummary(lines_read=5, written=2, dead_lettered=1, skipped_blank=2, retries=0,
                                 resumed_from=1), f"run_pipeline returned {summary}"


def test_output_records_are_the_transform_results_in_input_order(tmp_path):
    source = write_source(tmp_path, [good(i) for i in (3, 1, 2)])
    run(source, tmp_path / "out")
    written, _ = outputs(tmp_path / "out")
    want = [{"id": i, "amount": i * 10, "vat": round(i * 10 * 0.2, 2)} for i in (3, 1, 2)]
    assert written == want, f"output.jsonl holds {written}, expected {want}"


# ---------------------------------------------------------------- transient errors: retried with backoff

RETRIES = {
    # name: (transient failures, run_pipeline kwargs, sleeps wanted, written?, calls wanted)
    "succeeds on the third attempt": (2, {"retries": 3}, [0.1, 0.2], True, 3),
    "gives up after retries + 1 attempts, no sleep after the last": (9, {"retries": 3}, [0.1, 0.2, 0.4], False, 4),
    "the delay doubles up to max_delay": (9, {"retries": 4, "base_delay": 1, "max_delay": 3}, [1, 2, 3, 3], False, 5),
    "retries=0 means one attempt": (1, {"retries": 0}, [], False, 1),
}


@pytest.mark.parametrize("failures,kwargs,sleeps_wanted,written_wanted,calls_wanted", RETRIES.values(),
                         ids=RETRIES.keys())
def test_a_transient_error_is_retried_with_exponential_backoff(tmp_path, failures, kwargs, sleeps_wanted,
                                                              written_wanted, calls_wanted):
    source = write_source(tmp_path, [good(1, transient=failures)])
    enricher = Enricher()
    summary, sleeps = run(source, tmp_path / "out", enricher, **kwargs)
    assert sleeps == pytest.approx(sleeps_wanted), (
        f"a record failing {failures} times with TransientError, {kwargs}: sleep was called with {sleeps}, "
        f"expected {sleeps_wanted}")
    assert len(enricher.calls) == calls_wanted, f"transform was called {len(enricher.calls)} times, expected {calls_wanted}"
    assert summary.retries == len(sleeps_wanted), f"summary.retries={summary.retries}, expected {len(sleeps_wanted)}"
    written, dead = outputs(tmp_path / "out")
    if written_wanted:
        assert [r["id"] for r in written] == [1] and dead == [], f"output {written}, dead letters {dead}"
    else:
        attempts = kwargs["retries"] + 1
        assert written == [] and [d["reason"] for d in dead] == [
            f"gave up after {attempts} attempts: TransientError: service busy for id 1"], (
            f"after {attempts} failed attempts the record must be dead-lettered; output {written}, dead {dead}")


def test_a_permanent_error_is_tried_once_and_never_slept_on(tmp_path):
    source = write_source(tmp_path, [json.dumps({"id": 1, "amount": "x"}).encode()])
    enricher = Enricher()
    summary, sleeps = run(source, tmp_path / "out", enricher, retries=3)
    assert (enricher.calls, sleeps, summary.retries) == ([1], [], 0), (
        f"a ValueError is the record's fault: transform calls {enricher.calls}, sleeps {sleeps}, "
        f"retries {summary.retries}; expected one call, no sleep, no retry")


# ---------------------------------------------------------------- crashes and reruns

def ten_lines() -> list[bytes]:
    """Ten lines: records 1..10, except line 4 (not JSON) and line 9 (not an object)."""
    return [b"{broken" if i == 4 else b"[9]" if i == 9 else good(i) for i in range(1, 11)]


def clean_run(lines: list[bytes], folder: Path, **kwargs) -> tuple[bytes, bytes]:
    folder.mkdir()
    source = write_source(folder, lines)
    run(source, folder / "out", **kwargs)
    return files(folder / "out")


def test_a_crash_is_not_a_dead_letter_it_stops_the_run(tmp_path):
    source = write_source(tmp_path, ten_lines())
    with pytest.raises(Crash):
        run(source, tmp_path / "out", Enricher(crash_at=8), checkpoint_every=3)
    dead = read_jsonl(tmp_path / "out" / DEAD_LETTER) if (tmp_path / "out" / DEAD_LETTER).exists() else []
    assert all(d["line"] != 8 for d in dead), f"the crash on line 8 was written as a dead letter: {dead}"


def test_crash_then_rerun_gives_the_files_of_one_clean_run_and_redoes_no_committed_line(tmp_path):
    want = clean_run(ten_lines(), tmp_path / "clean", checkpoint_every=3)
    source = write_source(tmp_path, ten_lines())
    out = tmp_path / "out"
    with pytest.raises(Crash):
        run(source, out, Enricher(crash_at=8), checkpoint_every=3)
    rerun = Enricher()
    summary, _ = run(source, out, rerun, checkpoint_every=3)
    assert files(out) == want, (
        "a crash on line 8 (commits after lines 3 and 6) then a rerun: output and dead letters differ from "
        f"one clean run.\noutput: {files(out)[0]!r}\nwanted: {want[0]!r}\ndead:   {files(out)[1]!r}\nwanted: {want[1]!r}")
    assert rerun.calls == [7, 8, 10], (
        f"the rerun called transform for ids {rerun.calls}; lines 1-6 were committed, so expected [7, 8, 10] "
        "(line 9 is not an object)")
    assert summary == RunSummary(lines_read=4, written=3, dead_lettered=1, skipped_blank=0, retries=0,
                                 resumed_from=7), f"the rerun returned {summary}"


def test_a_rerun_of_a_finished_file_changes_nothing(tmp_path):
    source = write_source(tmp_path, ten_lines())
    out = tmp_path / "out"
    run(source, out, checkpoint_every=4)
    before = files(out)
    again = Enricher()
    summary, _ = run(source, out, again, checkpoint_every=4)
    assert files(out) == before and again.calls == [], f"a rerun called transform for {again.calls} or changed the files"
    assert summary == RunSummary(lines_read=0, written=0, dead_lettered=0, skipped_blank=0, retries=0,
                                 resumed_from=11), f"a rerun of a finished 10-line file returned {summary}"


HARD_CRASH = """
import os, sys
from pathlib import Path
from katas.mock.python.robust_pipeline import run_pipeline

crash_id = int(sys.argv[3])

def transform(record):
    if record["id"] == crash_id:
        os._exit(75)                  # no finally, no flush: buffered writes are lost
    return {"id": record["id"], "amount": record["amount"], "vat": round(record["amount"] * 0.2, 2)}

run_pipeline(Path(sys.argv[1]), Path(sys.argv[2]), transform, checkpoint_every=3)
"""


@pytest.mark.timeout(60)
def test_a_hard_kill_then_rerun_loses_nothing_and_duplicates_nothing(tmp_path):
    want = clean_run(ten_lines(), tmp_path / "clean", checkpoint_every=3)
    source = write_source(tmp_path, ten_lines())
    out = tmp_path / "out"
    killed = subprocess.run([sys.executable, "-c", HARD_CRASH, str(source), str(out), "8"], cwd=ROOT,
                            capture_output=True, text=True, timeout=50, check=False)
    assert killed.returncode == 75, f"the child should have died on id 8 (exit 75): {killed.stderr[-800:]}"
    assert (out / CHECKPOINT).exists(), "no checkpoint after the commits on lines 3 and 6"
    summary, _ = run(source, out, checkpoint_every=3)
    assert files(out) == want, (
        "the process was killed (os._exit) on line 8, then rerun: the files differ from one clean run. "
        "Is the output flushed and fsynced BEFORE the checkpoint says it is there?\n"
        f"output: {files(out)[0]!r}\nwanted: {want[0]!r}")
    assert summary.resumed_from == 7, f"the rerun resumed from line {summary.resumed_from}, expected 7"


KINDS = {
    "good": lambda i: good(i),
    "transient": lambda i: good(i, transient=1),
    "bad amount": lambda i: json.dumps({"id": i, "amount": "n/a"}).encode(),
    "not JSON": lambda i: b"{" + str(i).encode(),
    "blank": lambda i: b"",
}


@settings(max_examples=50, deadline=None)
@given(kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=12), every=st.integers(1, 5),
       crashes=st.lists(st.integers(1, 12), max_size=3, unique=True))
def test_any_sequence_of_crashes_and_reruns_ends_like_one_clean_run(kinds, every, crashes):
    lines = [KINDS[kind](i) for i, kind in enumerate(kinds, start=1)]
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder:
        folder = Path(folder)
        want = clean_run(lines, folder / "clean", checkpoint_every=every)
        source, out = write_source(folder, lines), folder / "out"
        committed = 0
        for crash_at in sorted(crashes):
            try:
                summary, _ = run(source, out, Enricher(crash_at=crash_at), checkpoint_every=every)
            except Crash:
                committed = (crash_at - 1) // every * every
                continue
            assert summary.resumed_from == committed + 1, (
                f"{kinds}, checkpoint_every={every}, crashes at {sorted(crashes)}: a run resumed from line "
                f"{summary.resumed_from}, expected {committed + 1}")
            committed = len(lines)
        run(source, out, checkpoint_every=every)
        got = files(out)
        written, dead = outputs(out)
    assert got == want, f"lines {kinds}, checkpoint_every={every}, crashes at {sorted(crashes)}: files differ from a clean run"
    model_written = [i for i, kind in enumerate(kinds, 1) if kind in ("good", "transient")]
    model_dead = [i for i, kind in enumerate(kinds, 1) if kind in ("bad amount", "not JSON")]
    assert ([r["id"] for r in written], [d["line"] for d in dead]) == (model_written, model_dead), (
        f"lines {kinds}: output ids {[r['id'] for r in written]} and dead-letter lines {[d['line'] for d in dead]}, "
        f"expected {model_written} and {model_dead}")


INVALID = {"negative retries": {"retries": -1}, "checkpoint_every zero": {"checkpoint_every": 0},
           "negative base_delay": {"base_delay": -0.1}, "negative max_delay": {"max_delay": -1}}


@pytest.mark.parametrize("kwargs", INVALID.values(), ids=INVALID.keys())
def test_impossible_settings_are_refused(tmp_path, kwargs):
    source = write_source(tmp_path, [good(1)])
    with pytest.raises(ValueError):
        run_pipeline(source, tmp_path / "out", Enricher(), **kwargs)
