"""Kata ids and prefixes as the learner types them: `day1.exercises.memoize`, `day1`, `day1.oop`.

A bad id is one line naming the nearest ids, and the command exits 2 (a usage error).
"""
from __future__ import annotations

import difflib

from dojo import manifest
from dojo.manifest import Kata


class BadId(LookupError):
    """An id or prefix that matches no kata; str() is the one line to show."""


def one(kata_id: str, katas: list[Kata]) -> Kata:
    try:
        return manifest.find(kata_id, katas)
    except manifest.UnknownKata as exc:
        raise BadId(str(exc)) from None


def many(wanted: str, katas: list[Kata]) -> list[Kata]:
    """An exact id, or every kata under a day or day.topic prefix, in manifest order."""
    chosen = [k for k in katas if k.id == wanted or k.id.startswith(wanted + ".")]
    if chosen:
        return chosen
    names = sorted({k.id for k in katas} | {k.day for k in katas} | {f"{k.day}.{k.topic}" for k in katas})
    nearest = difflib.get_close_matches(wanted, names, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(nearest)}?" if nearest else ""
    raise BadId(f"no kata or day {wanted!r}{hint}")
