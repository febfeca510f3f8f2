"""`kata watch`: rerun a kata's tests whenever one of its files is saved.

Polls modification times (no extra dependency), waits for the saves to settle (an editor may write
a file in several steps), runs the tests like a plain pytest run, and shows the first failure with
an offer of a hint. When the kata is green it moves on to the next unsolved kata. Ctrl-C stops it
cleanly; watch only reads the learner's files, it never writes them.
"""
from __future__ import annotations

import select
import sys
import time
from collections.abc import Callable
from pathlib import Path

from dojo.learner import files, hints, progress, runner
from dojo.learner.console import Out
from dojo.manifest import Kata

POLL_S = 0.2
SETTLE_S = 0.3


def snapshot(watched: list[Path]) -> dict[Path, float]:
    out = {}
    for path in watched:
        candidates = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for p in candidates:
            try:
                out[p] = p.stat().st_mtime_ns
            except FileNotFoundError:
                pass
    return out


def wait_for_change(watched: list[Path], before: dict[Path, float], on_idle: Callable[[], None]) -> None:
    """Block until the watched files change and then stay unchanged for SETTLE_S."""
    while snapshot(watched) == before:
        on_idle()
        time.sleep(POLL_S)
    settled = snapshot(watched)
    while True:
        time.sleep(SETTLE_S)
        now = snapshot(watched)
        if now == settled:
            return
        settled = now


def check_once(kata: Kata, out: Out) -> bool:
    out.line(f"running {kata.id} ...", "dim")
    done = runner.run([kata])
    counts = done.counts(kata.id)
    if done.green(kata.id):
        out.line(f"✓ {kata.id} is green: {counts.get('passed', 0)} passed", "bold green")
        return True
    out.line(f"✗ {kata.id}: {counts.get('failed', 0)} failed, {counts.get('passed', 0)} passed", "bold red")
    failure = done.first_failure()
    out.line(failure if failure else done.output.strip()[-2000:])
    left = len(kata.hints) - hints.revealed(kata)
    if left:
        how = "type h and Enter" if sys.stdin.isatty() else f"run `kata hint {kata.id}`"
        out.line(f"stuck? {how} for a hint ({left} left), or save again to rerun", "yellow")
    return False


def hint_keypress(kata_of: Callable[[], Kata], out: Out) -> Callable[[], None]:
    """While waiting: 'h' + Enter on a terminal reveals the next hint of the watched kata."""
    def poll() -> None:
        if not sys.stdin.isatty():
            return
        ready, _, _ = select.select([sys.stdin], [], [], 0)
        if ready and sys.stdin.readline().strip().lower().startswith("h"):
            shown = hints.reveal_next(kata_of())
            out.line(f"hint {shown[0]}: {shown[1]}" if shown else "no more hints: `kata diff ID --peek`", "cyan")
    return poll


def watch(katas: list[Kata], start: Kata, out: Out) -> int:
    current = start
    poll = hint_keypress(lambda: current, out)
    try:
        while True:
            out.heading(f"watching {current.id}: {current.title}")
            out.line("edit: " + ", ".join(f"katas/{n}" for n in files.names(current)) + "   (Ctrl-C to stop)")
            watched = files.watched(current)
            before = snapshot(watched)
            green = check_once(current, out)
            while not green:
                wait_for_change(watched, before, poll)
                before = snapshot(watched)
                green = check_once(current, out)
            following = progress.next_unsolved(katas, after=current.id)
            if following is None:
                out.line("every kata is solved: `kata review` says what to practise again", "bold green")
                return 0
            out.line(f"moving on to {following.id}", "bold")
            current = following
    except KeyboardInterrupt:
        out.line("\nstopped watching; your files are as you left them")
        return 0
