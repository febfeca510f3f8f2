"""Comprehensions: five small data-shaping jobs, each one expression long.

Interviewers ask for these to see whether you reach for a comprehension naturally, know the
nested-loop order inside one, and notice the edge cases: colliding keys, ragged rows, unicode.

    flatten([[1, 2], [], [3]])                  # [1, 2, 3]
    invert({"a": 1, "b": 2, "c": 1})            # {1: ["a", "c"], 2: ["b"]}
    word_frequencies("The cat. the CAT!")       # {"the": 2, "cat": 2}
    unique_domains(["ann@X.com", "bob@x.com"])  # {"x.com"}
    transpose([[1, 2, 3], [4, 5, 6]])           # [[1, 4], [2, 5], [3, 6]]

Requirements
- `flatten(nested)`: one level only, order kept; inner lists are not flattened further.
- `invert(mapping)`: value -> list of the keys that had it, keys in the mapping's order. Colliding
  values keep EVERY key (a plain `{v: k ...}` silently keeps only the last one).
- `word_frequencies(text)`: words are maximal runs of word characters (regex `\\w+`, unicode aware,
  so "café" and "naïve" are single words); counted case-insensitively via `str.casefold()`
  ("Straße" and "STRASSE" are the same word, "strasse"). Empty text gives {}.
- `unique_domains(emails)`: the set of domains, the part after the LAST "@", lowercased and
  stripped of surrounding whitespace. Strings with no "@" or an empty domain are ignored.
- `transpose(matrix)`: rows become columns. [] gives []; rows of zero length give []. Rows of
  different lengths raise ValueError (zip(*m) would silently drop data).
- Do not mutate any argument.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Hashable)

WORD = re.compile(r"\w+")


def flatten(nested: list[list[T]]) -> list[T]:
    return [item for inner in nested for item in inner]


def invert(mapping: dict[K, V]) -> dict[V, list[K]]:
    inverted: dict[V, list[K]] = {}
    for key, value in mapping.items():
        inverted.setdefault(value, []).append(key)
    return inverted


def word_frequencies(text: str) -> dict[str, int]:
    return dict(Counter(word.casefold() for word in WORD.findall(text)))


def unique_domains(emails: Iterable[str]) -> set[str]:
    return {domain for domain in (email.rpartition("@")[2].strip().lower() for email in emails if "@" in email)
            if domain}


def transpose(matrix: list[list[T]]) -> list[list[T]]:
    if len({len(row) for row in matrix}) > 1:
        raise ValueError(f"rows have different lengths: {[len(row) for row in matrix]}")
    width = len(matrix[0]) if matrix else 0
    return [[row[col] for row in matrix] for col in range(width)]


# Why
# - All five are O(total input size). flatten reads its loops left to right in the same order as the
#   nested for statements it replaces: `for inner in nested for item in inner`.
# - invert is the one place a loop beats a comprehension: `{v: [k for k in m if m[k] == v] ...}` is
#   correct but O(n^2), and `{v: k for k, v in m.items()}` loses keys on collision. setdefault (or
#   collections.defaultdict(list)) gives O(n) and keeps every key.
# - word_frequencies: Counter over a generator expression; casefold() is the unicode-correct
#   lower() ("ß" -> "ss"). Say that \w is unicode aware in Python 3 str patterns.
# - unique_domains: rpartition("@") takes the last "@" (a quoted local part may contain one); the
#   inner generator computes each domain once, the outer set comprehension filters empties.
# - transpose: zip(*matrix) is the idiom, but it truncates ragged rows silently; validate first.
#   In the interview, name that trade-off (zip(..., strict=True) in 3.10+ raises instead).
