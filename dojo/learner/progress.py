"""Solved, attempted or untouched: derived from `.dojo/results.json` and nothing else.

Every plain `pytest` run in katas mode records each test's outcome there (dojo/results.py), and
`kata check`/`watch` run pytest the same way, so `kata status` and pytest cannot disagree.

- solved: the latest recorded outcome of every test of the kata is passed, or skipped (a skip is a
  missing service, not a wrong answer) with at least one passed;
- attempted: some results recorded but not all passing, or the learner's file differs from the stub;
- untouched: otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass

from dojo import results
from dojo.learner import files, pristine
from dojo.manifest import Kata

SOLVED, ATTEMPTED, UNTOUCHED = "solved", "attempted", "untouched"


@dataclass(frozen=True)
class KataState:
    kata: Kata
    state: str
    passed: int
    total: int
    last_run: str | None


def of(kata: Kata, recorded: dict | None = None) -> KataState:
    recorded = results.load_progress() if recorded is None else recorded
    entry = recorded.get(kata.id, {})
    outcomes = list(entry.get("tests", {}).values())
    passed = outcomes.count("passed")
    if outcomes and passed and all(o in ("passed", "skipped") for o in outcomes):
        state = SOLVED
    elif outcomes or _edited(kata):
        state = ATTEMPTED
    else:
        state = UNTOUCHED
    return KataState(kata, state, passed, len(outcomes), entry.get("last_run"))


def all_of(katas: list[Kata]) -> list[KataState]:
    recorded = results.load_progress()
    return [of(k, recorded) for k in katas]


def _edited(kata: Kata) -> bool:
    """The learner's files differ from the recorded pristine stub (False when there is none yet)."""
    if not (pristine.folder(kata) / ".complete").exists():
        return False
    try:
        return files.read(kata) != pristine.stub(kata)
    except pristine.NoPristineStub:
        return False


def next_unsolved(katas: list[Kata], after: str | None = None) -> Kata | None:
    """The first kata in manifest order that is not solved (skipping `after` itself)."""
    for st in all_of(katas):
        if st.state != SOLVED and st.kata.id != after:
            return st.kata
    return None
