"""`kata mock`: interview mode. Timed unsolved mock questions, one at a time, then a summary.

Mock questions are katas with ids `mock.<track>.<name>` (tracks: python, sql, aws, tools). The set
is taken in manifest order, skipping solved ones, while it fits the time (a kata may say
`minutes = N` in katas.toml; 15 otherwise). The questions share one clock: Enter moves on to the
next question (the time each took is kept), and the interview ends when time is up, after the last
question, or on Ctrl-C. Then the questions' tests run once; the summary gives each question's
result and time, then its model answer (`solutions/<path>.md`), and the outcome goes to the review
schedule (a failed question comes back soon).
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
from dojo.learner import clock, files, progress, review, runner, state
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
    seconds: float | None = None        # time spent on it; None when the interview ended before it


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
              sleep: Callable[[float], None] = clock.sleep, stop: Callable[[], bool] = lambda: False,
              on_enter: str = "Enter when you are done") -> str:
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
                out.line(f"{shown} min left   ({on_enter}, Ctrl-C to stop)")
                last_shown = shown
            if stop():
                return "enter"
            sleep(min(1.0, left))
    except KeyboardInterrupt:
        return "interrupted"


def interview(chosen: list[Kata], seconds: float, out: Out, now: Callable[[], float] = clock.monotonic,
              sleep: Callable[[float], None] = clock.sleep,
              stop: Callable[[], bool] = lambda: False) -> tuple[dict[str, float], str]:
    """Ask the questions in turn on one clock: seconds spent per question asked, and why it ended."""
    end = now() + seconds
    spent: dict[str, float] = {}
    ended = "enter"
    for number, kata in enumerate(chosen, 1):
        out.heading(f"question {number} of {len(chosen)}: {kata.id}")     # short: a rule truncates
        out.line(kata.title, "bold")
        out.line("   edit: " + ", ".join(f"katas/{n}" for n in files.names(kata)))
        out.line("   " + files.statement(kata).splitlines()[0])
        started = now()
        last = number == len(chosen)
        ended = countdown(end - started, out, now, sleep, stop,
                          on_enter="Enter when you are done" if last else "Enter for the next question")
        spent[kata.id] = now() - started
        if ended != "enter":
            break
    return spent, ended


def enter_pressed() -> bool:
    if not sys.stdin.isatty():
        return False
    ready, _, _ = select.select([sys.stdin], [], [], 0)
    return bool(ready) and sys.stdin.readline() is not None


def grade(chosen: list[Kata], spent: dict[str, float] | None = None) -> list[Outcome]:
    done = runner.run(chosen)
    spent = spent or {}
    return [Outcome(k, done.green(k.id), done.counts(k.id), spent.get(k.id)) for k in chosen]


def model_answer(kata: Kata) -> str | None:
    """The kata's model answer (markdown), or None when it has none."""
    path = kata.model_answer
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


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
    """Keep the session in mocks.json and feed each failed question to the review schedule."""
    data = state.read_json("mocks.json")
    data.setdefault("sessions", []).append({
        "at": clock.now().isoformat(timespec="seconds"), "minutes": minutes, "ended": ended,
        "passed": [o.kata.id for o in outcomes if o.passed],
        "failed": [o.kata.id for o in outcomes if not o.passed],
        "seconds": {o.kata.id: round(o.seconds) for o in outcomes if o.seconds is not None}})
    state.write_json("mocks.json", data)
    for outcome in outcomes:
        if not outcome.passed:
            review.note_failed_mock(outcome.kata)


def time_taken(seconds: float | None) -> str:
    if seconds is None:
        return "not reached"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def summary(outcomes: list[Outcome], out: Out) -> None:
    out.heading("mock interview: summary")
    out.table(["question", "result", "time", "tests"],
              [[o.kata.id, "passed" if o.passed else "failed", time_taken(o.seconds),
                ", ".join(f"{n} {what}" for what, n in sorted(o.counts.items())) or "no test ran"]
               for o in outcomes])
    passed = sum(o.passed for o in outcomes)
    out.line(f"{passed} of {len(outcomes)} passed", "bold green" if passed == len(outcomes) else "bold yellow")
    if passed < len(outcomes):
        out.line("the failed ones are on your review list (`kata review`)")
    for o in outcomes:
        answer = model_answer(o.kata)
        out.heading(f"model answer: {o.kata.id}")
        if answer is not None:
            for line in answer.splitlines():
                out.line(line)
            continue
        for path, notes in model_answers(o.kata):      # a kata without a model answer: its Why notes
            out.line(f"  {path}")
            for note in notes:
                out.line(f"      why: {note}", "dim")
