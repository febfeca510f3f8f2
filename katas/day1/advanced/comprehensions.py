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

from collections.abc import Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=Hashable)


def flatten(nested: list[list[T]]) -> list[T]:
    raise NotImplementedError("TODO: one list comprehension with two for clauses")


def invert(mapping: dict[K, V]) -> dict[V, list[K]]:
    raise NotImplementedError("TODO: value -> every key that had it, in order")


def word_frequencies(text: str) -> dict[str, int]:
    raise NotImplementedError("TODO: count casefolded \\w+ words")


def unique_domains(emails: Iterable[str]) -> set[str]:
    raise NotImplementedError("TODO: a set comprehension over the part after the last @")


def transpose(matrix: list[list[T]]) -> list[list[T]]:
    raise NotImplementedError("TODO: rows become columns; ragged rows raise ValueError")
