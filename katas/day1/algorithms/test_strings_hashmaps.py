"""Tests for the strings and hashmaps kata: run `pytest katas/day1/algorithms/test_strings_hashmaps.py`."""
import random
from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.guards import within_time_limit
from katas.day1.algorithms.strings_hashmaps import (
    find_anagrams,
    group_anagrams,
    is_anagram,
    length_of_longest_substring,
)

GUARD_TIMEOUT_S = 5       # the reference needs well under a second for each guard




def normalised(groups: list[list[str]]) -> list[list[str]]:
    """Group order and order inside a group do not matter: sort both."""
    return sorted(sorted(group) for group in groups)


# ---------------------------------------------------------------- brute-force oracles


def are_anagrams_by_permutation(a: str, b: str) -> bool:
    """Slow but obviously right for short words: is b one of the rearrangements of a?"""
    return len(a) == len(b) and b in {"".join(p) for p in permutations(a)}


def group_anagrams_brute(strs: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for word in strs:
        for group in groups:
            if are_anagrams_by_permutation(group[0], word):
                group.append(word)
                break
        else:
            groups.append([word])
    return groups


def is_anagram_brute(s: str, t: str) -> bool:
    return all(s.count(c) == t.count(c) for c in set(s + t))


def find_anagrams_brute(s: str, p: str) -> list[int]:
    m = len(p)
    return [i for i in range(len(s) - m + 1) if sorted(s[i:i + m]) == sorted(p)]


def longest_brute(s: str) -> int:
    return max((j - i for i in range(len(s)) for j in range(i + 1, len(s) + 1)
                if len(set(s[i:j])) == j - i), default=0)


# ---------------------------------------------------------------- group_anagrams

GROUP_CASES = {
    "the classic example": (["eat", "tea", "tan", "ate", "nat", "bat"],
                            [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]),
    "empty input": ([], []),
    "one empty string": ([""], [[""]]),
    "duplicates are kept": (["a", "a", "b"], [["a", "a"], ["b"]]),
    "same letter sum is not an anagram (ad vs bc)": (["ad", "bc"], [["ad"], ["bc"]]),
    "same letter set is not an anagram (aab vs abb)": (["aab", "abb", "bab"], [["aab"], ["abb", "bab"]]),
    "case matters": (["Ab", "bA", "ab"], [["Ab", "bA"], ["ab"]]),
    "unicode letters": (["été", "téé", "tee"], [["été", "téé"], ["tee"]]),
}


@pytest.mark.parametrize("strs,want", GROUP_CASES.values(), ids=GROUP_CASES.keys())
def test_group_anagrams_puts_exactly_the_rearrangements_together(strs, want):
    got = group_anagrams(list(strs))
    assert normalised(got) == normalised(want), \
        f"group_anagrams({strs!r}) returned {got!r}, expected these groups in any order: {want!r}"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcd", max_size=5), max_size=12))
def test_group_anagrams_matches_a_brute_force_grouping(strs):
    got = group_anagrams(list(strs))
    want = group_anagrams_brute(strs)
    assert normalised(got) == normalised(want), f"group_anagrams({strs!r}) returned {got!r}, expected {want!r}"


# ---------------------------------------------------------------- is_anagram

ANAGRAM_CASES = {
    "the classic example": ("anagram", "nagaram", True),
    "different letters": ("rat", "car", False),
    "two empty strings": ("", "", True),
    "different lengths": ("a", "aa", False),
    "same letter set, different counts": ("aab", "abb", False),
    "same letter sum, different letters": ("ad", "bc", False),
    "case matters": ("Listen", "silent", False),
    "unicode": ("ça va", "av aç", True),
}


@pytest.mark.parametrize("s,t,want", ANAGRAM_CASES.values(), ids=ANAGRAM_CASES.keys())
def test_is_anagram_compares_letter_counts(s, t, want):
    got = is_anagram(s, t)
    assert got is want, f"is_anagram({s!r}, {t!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abc", max_size=8), st.text(alphabet="abc", max_size=8))
def test_is_anagram_matches_counting_each_character(s, t):
    got, want = is_anagram(s, t), is_anagram_brute(s, t)
    assert got is want, f"is_anagram({s!r}, {t!r}) returned {got!r}, expected {want!r}"


# ---------------------------------------------------------------- find_anagrams

FIND_CASES = {
    "the classic example": ("cbaebabacd", "abc", [0, 6]),
    "overlapping windows": ("abab", "ab", [0, 1, 2]),
    "p longer than s": ("ab", "abc", []),
    "empty s": ("", "a", []),
    "whole string": ("bca", "abc", [0]),
    "counts matter, not just letters": ("aabb", "abb", [1]),
    "no match": ("aaaa", "b", []),
}


@pytest.mark.parametrize("s,p,want", FIND_CASES.values(), ids=FIND_CASES.keys())
def test_find_anagrams_returns_every_start_index_in_order(s, p, want):
    got = find_anagrams(s, p)
    assert got == want, f"find_anagrams({s!r}, {p!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abc", max_size=20), st.text(alphabet="abc", min_size=1, max_size=4))
def test_find_anagrams_matches_sorting_every_window(s, p):
    got, want = find_anagrams(s, p), find_anagrams_brute(s, p)
    assert got == want, f"find_anagrams({s!r}, {p!r}) returned {got!r}, expected {want!r}"


# ---------------------------------------------------------------- length_of_longest_substring

LONGEST_CASES = {
    "empty string": ("", 0),
    "one character": ("x", 1),
    "all the same letter": ("bbbb", 1),
    "the classic example": ("abcabcbb", 3),
    "answer in the middle": ("pwwkew", 3),
    "repeat far back must not move the window left": ("abba", 2),
    "repeat before the window, then a long run": ("abcbadefa", 6),
    "no repeats at all": ("abcdef", 6),
    "spaces count as characters": ("a b c", 3),
    "unicode": ("日本日本語", 3),
}


@pytest.mark.parametrize("s,want", LONGEST_CASES.values(), ids=LONGEST_CASES.keys())
def test_longest_substring_without_repeats(s, want):
    got = length_of_longest_substring(s)
    assert got == want, f"length_of_longest_substring({s!r}) returned {got}, expected {want}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcd", max_size=14))
def test_longest_substring_matches_checking_every_substring(s):
    got, want = length_of_longest_substring(s), longest_brute(s)
    assert got == want, f"length_of_longest_substring({s!r}) returned {got}, expected {want}"


# ---------------------------------------------------------------- complexity guards (10^6 characters)


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_group_anagrams_is_linear_on_a_million_characters():
    rng = random.Random(49)
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=5)) for _ in range(200_000)]
    groups = within_time_limit(lambda: group_anagrams(words), "group_anagrams(200,000 words)")
    assert sum(len(g) for g in groups) == len(words), "every word must land in exactly one group"
    assert len(groups) == len({"".join(sorted(w)) for w in words}), \
        f"group_anagrams on 200,000 words returned {len(groups)} groups, not one per multiset of letters"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_is_anagram_is_linear_on_a_million_characters():
    rng = random.Random(242)
    s = "".join(rng.choices("abcdefghij", k=1_000_000))
    t = "".join(rng.sample(s, len(s)))
    changed = t[1:] + ("a" if t[0] != "a" else "b")
    same = within_time_limit(lambda: is_anagram(s, t), "is_anagram(10^6 characters)")
    assert same is True, f"is_anagram(s, shuffled s) returned {same!r} for 10^6 characters, expected True"
    differs = within_time_limit(lambda: is_anagram(s, changed), "is_anagram(10^6 characters)")
    assert differs is False, f"is_anagram(s, s with one character changed) returned {differs!r}, expected False"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_find_anagrams_is_linear_on_a_million_characters():
    rng = random.Random(438)
    s = "".join(rng.choices("abc", k=1_000_000))
    p = s[500_000:501_000]                       # a 1,000-character pattern that surely occurs
    got = within_time_limit(lambda: find_anagrams(s, p), "find_anagrams(10^6 characters, 1,000-character p)")
    assert 500_000 in got, "find_anagrams missed the window the pattern was cut from"
    assert got == sorted(got), "start indices must be ascending"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_longest_substring_is_linear_on_a_million_characters():
    block = "".join(map(chr, range(0x4E00, 0x4E00 + 20_000)))   # 20,000 distinct characters
    got = within_time_limit(lambda: length_of_longest_substring(block * 50),
                            "length_of_longest_substring(10^6 characters)")
    assert got == 20_000, f"length_of_longest_substring(20,000 distinct characters x 50) returned {got}, expected 20000"
