"""Spaced repetition over solved katas, scheduled by FSRS (the `fsrs` package), in `.dojo/review.json`.

A kata gets a card the first time the results show it solved (rated Good at that run's time).
`kata redo ID` puts it back to its stub and marks it "practising"; when the results next show it
solved, the card is reviewed: Good, Hard if hints were revealed during the practice, Again if the
learner peeked at the reference. Everything is derived from the recorded results, so a kata
solved with plain pytest is scheduled as well as one solved with `kata check`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler

from dojo.learner import clock, hints, progress, state
from dojo.manifest import Kata

FILE = "review.json"
# Katas are practised over days, not minutes: no intra-day learning steps.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class Due:
    kata: Kata
    due: datetime
    practising: bool


def sync(katas: list[Kata]) -> dict:
    """Bring the cards up to date with the recorded results; returns the review state."""
    data = state.read_json(FILE)
    changed = False
    for st in progress.all_of(katas):
        entry = data.get(st.kata.id)
        if st.state != progress.SOLVED or st.last_run is None:
            continue
        solved_at = datetime.fromisoformat(st.last_run)
        if entry is None:
            card, _ = SCHEDULER.review_card(Card(), Rating.Good, solved_at)
            data[st.kata.id] = {"card": card.to_dict(), "reviews": [[st.last_run, "good"]]}
            changed = True
        elif entry.get("practising_since") and solved_at >= datetime.fromisoformat(entry["practising_since"]):
            rating = Rating.Again if entry.get("peeked") else Rating.Hard if hints.revealed(st.kata) else Rating.Good
            card = Card.from_dict(entry["card"]) if "card" in entry else Card()
            card, _ = SCHEDULER.review_card(card, rating, solved_at)
            entry.update(card=card.to_dict(), practising_since=None, peeked=False)
            entry.setdefault("reviews", []).append([st.last_run, rating.name.lower()])
            changed = True
    if changed:
        state.write_json(FILE, data)
    return data


def start_practice(kata: Kata) -> None:
    """`redo`: the next solve of this kata counts as a review; its card and history stay."""
    data = state.read_json(FILE)
    entry = data.setdefault(kata.id, {})
    entry.update(practising_since=clock.now().isoformat(timespec="seconds"), peeked=False)
    state.write_json(FILE, data)


def note_failed_mock(kata: Kata) -> None:
    """A question failed in a mock interview is rated Again now, so `kata review` brings it back soon."""
    data = state.read_json(FILE)
    entry = data.setdefault(kata.id, {})
    card = Card.from_dict(entry["card"]) if "card" in entry else Card()
    at = clock.now()
    card, _ = SCHEDULER.review_card(card, Rating.Again, at)
    entry["card"] = card.to_dict()
    entry.setdefault("reviews", []).append([at.isoformat(timespec="seconds"), "again (mock)"])
    state.write_json(FILE, data)


def note_peek(kata: Kata) -> None:
    """A peek at the reference during a practice makes that review an Again."""
    data = state.read_json(FILE)
    entry = data.get(kata.id)
    if entry and entry.get("practising_since"):
        entry["peeked"] = True
        state.write_json(FILE, data)


def schedule(katas: list[Kata]) -> list[Due]:
    """Every kata with a card, soonest due first."""
    data = sync(katas)
    by_id = {k.id: k for k in katas}
    out = [Due(by_id[kid], Card.from_dict(e["card"]).due, bool(e.get("practising_since")))
           for kid, e in data.items() if kid in by_id and "card" in e]
    return sorted(out, key=lambda d: d.due)


def due_now(katas: list[Kata], within: timedelta = timedelta(0)) -> list[Due]:
    limit = clock.now() + within
    return [d for d in schedule(katas) if d.due <= limit]
