"""Hashmaps and strings: anagrams and the longest substring without repeats.

Four classic LeetCode problems (49, 242, 438, 3). Interviewers ask them to see whether you reach
for a hashmap keyed by the right thing, and whether you can keep a sliding window in O(n) instead
of re-scanning it.

    group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"])
    # [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]   (any order of groups and inside them)
    is_anagram("anagram", "nagaram")      # True
    find_anagrams("cbaebabacd", "abc")    # [0, 6]
    length_of_longest_substring("abba")   # 2 ("ab" or "ba")

Requirements
- `group_anagrams(strs)`: a list of groups; two strings share a group exactly when one is a
  rearrangement of the other (same letters, same counts). Every input string appears in exactly
  one group, duplicates included (`["a", "a"]` -> `[["a", "a"]]`); the empty string is a word too.
  The order of the groups and the order inside a group do not matter.
- `is_anagram(s, t)`: True when t uses exactly the same characters as s, each the same number of
  times. Case-sensitive, any unicode characters; two empty strings are anagrams.
- `find_anagrams(s, p)`: every start index i, ascending, where `s[i:i + len(p)]` is an anagram
  of p. p is not empty; p longer than s gives [].
- `length_of_longest_substring(s)`: the length of the longest run of consecutive characters with
  no character repeated. Any unicode characters; "" gives 0.
- Linear time (apart from sorting inside one word): the tests run each function on about 10^6
  characters under a timeout of a few seconds, so re-scanning or re-counting a window, or comparing
  every pair of words, fails.
"""
from __future__ import annotations


def group_anagrams(strs: list[str]) -> list[list[str]]:
    raise NotImplementedError("TODO: group the words by a key that is the same for all rearrangements")


def is_anagram(s: str, t: str) -> bool:
    raise NotImplementedError("TODO: compare how often each character occurs in s and in t")


def find_anagrams(s: str, p: str) -> list[int]:
    raise NotImplementedError("TODO: slide a window of len(p) over s, updating its letter counts")


def length_of_longest_substring(s: str) -> int:
    raise NotImplementedError("TODO: grow a window to the right; move its left edge past a repeat")
