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

from collections import Counter, defaultdict


def group_anagrams(strs: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for word in strs:
        groups["".join(sorted(word))].append(word)
    return list(groups.values())


def is_anagram(s: str, t: str) -> bool:
    return len(s) == len(t) and Counter(s) == Counter(t)


def find_anagrams(s: str, p: str) -> list[int]:
    m = len(p)
    if m > len(s):
        return []
    need = dict(Counter(p))
    window = dict(Counter(s[:m]))          # plain dicts: == is a fast C comparison
    starts = [0] if window == need else []
    for i in range(m, len(s)):
        # Slide by one: the character at i enters, the one at i - m leaves.
        new, old = s[i], s[i - m]
        window[new] = window.get(new, 0) + 1
        if window[old] == 1:
            del window[old]                # keep only non-zero counts, or == would fail
        else:
            window[old] -= 1
        if window == need:
            starts.append(i - m + 1)
    return starts


def length_of_longest_substring(s: str) -> int:
    last_seen: dict[str, int] = {}
    left = best = 0
    for right, char in enumerate(s):
        if last_seen.get(char, -1) >= left:
            # The repeat is inside the window: jump just past it. A repeat from before `left`
            # ("abba": the second "a") is outside the window and must not move it back.
            left = last_seen[char] + 1
        last_seen[char] = right
        best = max(best, right - left + 1)
    return best


# Why
# - group_anagrams: the key must be a canonical form of the multiset of letters. sorted(word) is
#   O(k log k) per word and works for any alphabet; a 26-count tuple is O(k) but only for a-z.
#   Keys that lose information collide: sum of ord("ad") == sum of ord("bc"), set("aab") ==
#   set("abb"). Say this out loud: the key is the whole point of the problem.
# - is_anagram: compare counts, not sets; the length check is a cheap early exit. Sorting both
#   strings (O(n log n)) is also fine to mention.
# - find_anagrams: a fixed-size window whose Counter is updated in O(1) per step. Comparing two
#   Counters costs O(distinct letters in the window), which is bounded by the alphabet; recounting
#   or sorting every window instead is O(n * m).
# - length_of_longest_substring: a variable window with "last index seen" per character. Left only
#   ever moves right, so the whole pass is O(n). The bug to avoid is `left = last_seen[c] + 1`
#   without checking that the repeat is inside the window ("abba" would give 3).
