"""Hints, one at a time: how many of a kata's hints are revealed is remembered in `.dojo/hints.json`."""
from __future__ import annotations

from dojo.learner import state
from dojo.manifest import Kata

FILE = "hints.json"


def revealed(kata: Kata) -> int:
    return int(state.read_json(FILE).get(kata.id, 0))


def reveal_next(kata: Kata) -> tuple[int, str] | None:
    """Reveal one more hint: (its 1-based number, its text), or None when all are shown."""
    data = state.read_json(FILE)
    shown = int(data.get(kata.id, 0))
    if shown >= len(kata.hints):
        return None
    data[kata.id] = shown + 1
    state.write_json(FILE, data)
    return shown + 1, kata.hints[shown]


def shown_so_far(kata: Kata) -> list[str]:
    return list(kata.hints[: revealed(kata)])


def forget(kata: Kata) -> None:
    """Start the hints again (a `redo` practises without them); the review keeps the history."""
    data = state.read_json(FILE)
    if data.pop(kata.id, None) is not None:
        state.write_json(FILE, data)
