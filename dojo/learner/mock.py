"""`kata mock`: interview mode. A timed set of unsolved mock questions, a countdown, then a summary.

Mock questions are katas with ids `mock.<track>.<name>` (tracks: python, sql, aws, tools). The set
is taken in manifest order, skipping solved ones, while it fits the time (a kata may say
`minutes = N` in katas.toml; 15 otherwise). The countdown ends when time is up, when the learner
presses Enter (on a terminal), or on Ctrl-C; then the questions' tests run once and the summary
says what passed and where the model answers are, with their "Why" notes.
The clock is injectable (see clock.py), so the tests run a 45-minute interview in a blink.
"""
from __future__ import annotations

import math
import re
import select
import sys
from collections.abc import Callable
from dataclasses import dataclass

from dojo import paths
from dojo.learner import clock, files, progress, runner, state
from dojo.learner.console import Out
from dojo.manifest import Kata

TRACKS = ("python", "sql", "aws", "tools")
DEFAULT_MINUTES = 45
MINUTES_PER_QUESTION = 15
WHY = re.compile(r"^\s*(?:#|--)?\s*Why:\s*(.*)$")


@dataclass(frozen=True)
class Outcome:
    kata: Kata
    passed: bool
    counts: dict[str, int]


def questions(katas: list[Kata], track: str | None) -> list[Kata]:
    prefix = f"mock.{track}." if track else "mock."
    return [k for k in katas if k.id.startswith(prefix)]


def pick(candidates: list[Kata], minutes: int) -> list[Kata]:
    """Unsolved questions in manifest order, as many as fit in `minutes` (at least one)."""
    chosen, used = [], 0
    for st in progress.all_of(candidates):
        if st.state == progress.SOLVED:
            continue
        cost = int(st.kata.extra.get("minutes", MINUTES_PER_QUESTION))
        if chosen and used + cost > minutes:
            break
        chosen.append(st.kata)
        used += cost
    return chosen


def countdown(seconds: float, out: Out, now: Callable[[], float] = clock.monotonic,
              sleep: Callable[[float], None] = clock.sleep, stop: Callable[[], bool] = lambda: False) -> str:
    """Count down; returns why it ended: 'time', 'enter' or 'interrupted'."""
    end = now() + seconds
    last_shown = None
    try:
        while True:
            left = end - now()
            if left <= 0:
                out.line("time is up", "bold red")
                return "time"
            shown = math.ceil(left / 60)
            if shown != last_shown:
                out.line(f"{shown} min left   (Enter when you are done, Ctrl-C to stop)")
                last_shown = shown
            if stop():
                return "enter"
            sleep(min(1.0, left))
    except KeyboardInterrupt:
        return "interrupted"


def enter_pressed() -> bool:
    if not sys.stdin.isatty():
        return False
    ready, _, _ = select.select([sys.stdin], [], [], 0)
    return bool(ready) and sys.stdin.readline() is not None


def grade(chosen: list[Kata]) -> list[Outcome]:
    done = runner.run(chosen)
    return [Outcome(k, done.green(k.id), done.counts(k.id)) for k in chosen]


def model_answers(kata: Kata) -> list[tuple[str, list[str]]]:
    """(reference file, its 'Why' notes) for each of the kata's files."""
    out = []
    for name in files.names(kata):
        path = paths.SOLUTIONS / name
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        notes = [m.group(1).strip() for line in text.splitlines() if (m := WHY.match(line))]
        out.append((f"solutions/{name}", notes))
    return out


def record(outcomes: list[Outcome], minutes: int, ended: str) -> None:
    data = state.read_json("mocks.json")
    data.setdefault("sessions", []).append({
        "at": clock.now().isoformat(timespec="seconds"), "minutes": minutes, "ended": ended,
        "passed": [o.kata.id for o in outcomes if o.passed],
        "failed": [o.kata.id for o in outcomes if not o.passed]})
    state.write_json("mocks.json", data)


def summary(outcomes: list[Outcome], out: Out) -> None:
    out.heading("mock interview: summary")
    out.table(["question", "result", "tests"],
              [[o.kata.id, "passed" if o.passed else "failed",
                ", ".join(f"{n} {what}" for what, n in sorted(o.counts.items())) or "no test ran"]
               for o in outcomes])
    passed = sum(o.passed for o in outcomes)
    out.line(f"{passed} of {len(outcomes)} passed", "bold green" if passed == len(outcomes) else "bold yellow")
    out.line("model answers to read:")
    for o in outcomes:
        for path, notes in model_answers(o.kata):
            out.line(f"  {o.kata.id}: {path}")
            for note in notes:
                out.line(f"      why: {note}", "dim")
