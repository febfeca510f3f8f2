"""Tests for the comprehensions kata: run `pytest katas/day1/advanced/test_comprehensions.py`."""
import copy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.advanced.comprehensions import flatten, invert, transpose, unique_domains, word_frequencies

# --- loop oracles: the slow, obvious versions the comprehensions must agree with -------------------


def flatten_loop(nested):
    out = []
    for inner in nested:
        for item in inner:
            out.append(item)
    return out


def invert_loop(mapping):
    out = {}
    for key in mapping:
        value = mapping[key]
        if value not in out:
            out[value] = []
        out[value].append(key)
    return out


def word_frequencies_loop(text):
    counts = {}
    for word in re.findall(r"\w+", text):
        word = word.casefold()
        counts[word] = counts.get(word, 0) + 1
    return counts


def unique_domains_loop(emails):
    found = set()
    for email in emails:
        if "@" in email:
            domain = email.split("@")[-1].strip().lower()
            if domain:
                found.add(domain)
    return found


# --- flatten ------------------------------------------------------------------------------------

FLATTEN_CASES = {
    "empty outer list": ([], []),
    "only empty inner lists": ([[], []], []),
    "order kept across inner lists": ([[1, 2], [], [3]], [1, 2, 3]),
    "one level only: inner lists stay lists": ([[[1, 2]], [[3]]], [[1, 2], [3]]),
    "unicode strings are items, not iterables to split": ([["añb", "✓"]], ["añb", "✓"]),
}


@pytest.mark.parametrize("nested,want", FLATTEN_CASES.values(), ids=FLATTEN_CASES.keys())
def test_flatten_removes_exactly_one_level(nested, want):
    got = flatten(nested)
    assert got == want, f"flatten({nested!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers())))
def test_flatten_matches_the_nested_loop(nested):
    before = copy.deepcopy(nested)
    assert flatten(nested) == flatten_loop(nested), f"flatten({nested!r})"
    assert nested == before, "flatten must not mutate its argument"


# --- invert -------------------------------------------------------------------------------------

INVERT_CASES = {
    "empty dict": ({}, {}),
    "no collisions": ({"a": 1, "b": 2}, {1: ["a"], 2: ["b"]}),
    "colliding values keep every key, in order": ({"a": 1, "b": 2, "c": 1}, {1: ["a", "c"], 2: ["b"]}),
    "all keys share one value": ({"x": 0, "y": 0, "z": 0}, {0: ["x", "y", "z"]}),
    "unicode keys and values": ({"ключ": "値", "κλειδί": "値"}, {"値": ["ключ", "κλειδί"]}),
}


@pytest.mark.parametrize("mapping,want", INVERT_CASES.values(), ids=INVERT_CASES.keys())
def test_invert_keeps_every_key_of_a_colliding_value(mapping, want):
    got = invert(mapping)
    assert got == want, f"invert({mapping!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=3), st.integers(0, 3)))
def test_invert_matches_the_loop(mapping):
    before = dict(mapping)
    got = invert(mapping)
    assert got == invert_loop(mapping), f"invert({mapping!r}) returned {got!r}"
    assert mapping == before, "invert must not mutate its argument"


# --- word_frequencies ---------------------------------------------------------------------------

WORD_CASES = {
    "empty text": ("", {}),
    "only punctuation and spaces": (" ,.!? \n", {}),
    "case and punctuation ignored": ("The cat. the CAT!", {"the": 2, "cat": 2}),
    "accented words are single words": ("café naïve CAFÉ", {"café": 2, "naïve": 1}),
    "casefold, not lower: ß is ss": ("Straße STRASSE", {"strasse": 2}),
    "digits and underscores are word characters": ("a_1 A_1 2024", {"a_1": 2, "2024": 1}),
}


@pytest.mark.parametrize("text,want", WORD_CASES.values(), ids=WORD_CASES.keys())
def test_word_frequencies_counts_casefolded_words(text, want):
    got = word_frequencies(text)
    assert got == want, f"word_frequencies({text!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="aAbBßSsé ,.!\n_1", max_size=40))
def test_word_frequencies_matches_the_loop(text):
    got = word_frequencies(text)
    assert got == word_frequencies_loop(text), f"word_frequencies({text!r}) returned {got!r}"


# --- unique_domains -----------------------------------------------------------------------------

DOMAIN_CASES = {
    "empty list": ([], set()),
    "case folded to one domain": (["ann@X.com", "bob@x.COM"], {"x.com"}),
    "the domain is after the LAST @": (['"a@b"@example.org'], {"example.org"}),
    "no @ or empty domain ignored": (["nobody", "x@", "y@  "], set()),
    "surrounding whitespace stripped": ([" ann@Mail.org \n"], {"mail.org"}),
    "unicode domain lowercased": (["ana@BÜCHER.de"], {"bücher.de"}),
}


@pytest.mark.parametrize("emails,want", DOMAIN_CASES.values(), ids=DOMAIN_CASES.keys())
def test_unique_domains_is_a_set_of_lowercased_domains(emails, want):
    got = unique_domains(emails)
    assert isinstance(got, set), f"unique_domains returned a {type(got).__name__}, expected a set"
    assert got == want, f"unique_domains({emails!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="aB@. x", max_size=8), max_size=8))
def test_unique_domains_matches_the_loop(emails):
    got = unique_domains(emails)
    assert got == unique_domains_loop(emails), f"unique_domains({emails!r}) returned {got!r}"


# --- transpose ----------------------------------------------------------------------------------

TRANSPOSE_CASES = {
    "empty matrix": ([], []),
    "rows of zero length": ([[], []], []),
    "one row becomes one column each": ([[1, 2, 3]], [[1], [2], [3]]),
    "two by three": ([[1, 2, 3], [4, 5, 6]], [[1, 4], [2, 5], [3, 6]]),
    "unicode cells": ([["ä", "ö"], ["ü", "ß"]], [["ä", "ü"], ["ö", "ß"]]),
}


@pytest.mark.parametrize("matrix,want", TRANSPOSE_CASES.values(), ids=TRANSPOSE_CASES.keys())
def test_transpose_turns_rows_into_columns(matrix, want):
    got = transpose(matrix)
    assert got == want, f"transpose({matrix!r}) returned {got!r}, expected {want!r}"


def test_transpose_of_ragged_rows_raises_value_error_instead_of_dropping_data():
    with pytest.raises(ValueError):
        got = transpose([[1, 2, 3], [4, 5]])
        pytest.fail(f"transpose([[1, 2, 3], [4, 5]]) returned {got!r}: zip(*m) silently dropped the 3")


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 4).flatmap(lambda w: st.lists(st.lists(st.integers(), min_size=w, max_size=w), max_size=4)))
def test_transpose_twice_gives_back_the_matrix(matrix):
    got = transpose(matrix)
    assert all(len(col) == len(matrix) for col in got), f"transpose({matrix!r}) returned {got!r}"
    if matrix and matrix[0]:
        assert transpose(got) == matrix, f"transpose(transpose({matrix!r})) is not the matrix"
    else:
        assert got == [], f"transpose({matrix!r}) returned {got!r}, expected []"
