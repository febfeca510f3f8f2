"""Tests for the sliding window kata: run `pytest katas/day1/algorithms/test_sliding_window.py`."""
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.guards import within_time_limit
from katas.day1.algorithms.sliding_window import max_sliding_window, max_sum_subarray, min_window

GUARD_TIMEOUT_S = 5       # the reference needs well under a second for each guard
N = 1_000_000




# ---------------------------------------------------------------- brute-force oracles


def max_sum_brute(nums: list[int], k: int) -> int:
    return max(sum(nums[i:i + k]) for i in range(len(nums) - k + 1))


def max_sliding_brute(nums: list[int], k: int) -> list[int]:
    return [max(nums[i:i + k]) for i in range(len(nums) - k + 1)]


def min_window_brute(s: str, t: str) -> str:
    """Every substring, shortest first, then leftmost."""
    if not t:
        return ""
    need = Counter(t)
    for length in range(len(t), len(s) + 1):
        for start in range(len(s) - length + 1):
            have = Counter(s[start:start + length])
            if all(have[c] >= n for c, n in need.items()):
                return s[start:start + length]
    return ""


window_cases = st.lists(st.integers(-20, 20), min_size=1, max_size=25).flatmap(
    lambda nums: st.tuples(st.just(nums), st.integers(1, len(nums))))


# ---------------------------------------------------------------- max_sum_subarray

SUM_CASES = {
    "the worked example": ([1, 4, 2, 10, 2, 3, 1, 0, 20], 4, 24),
    "k = 1 is the largest element": ([3, -1, 7, 2], 1, 7),
    "k = len(nums) is the total": ([3, -1, 7, 2], 4, 11),
    "all negative: the answer is negative, not 0": ([-5, -2, -8, -1], 2, -7),
    "best window at the very start": ([9, 9, 1, 1, 1], 2, 18),
    "best window at the very end": ([1, 1, 1, 9, 9], 2, 18),
}


@pytest.mark.parametrize("nums,k,want", SUM_CASES.values(), ids=SUM_CASES.keys())
def test_max_sum_subarray_finds_the_best_window(nums, k, want):
    got = max_sum_subarray(list(nums), k)
    assert got == want, f"max_sum_subarray({nums!r}, {k}) returned {got!r}, expected {want!r}"


@settings(max_examples=150, deadline=None)
@given(window_cases)
def test_max_sum_subarray_matches_summing_every_window(case):
    nums, k = case
    got, want = max_sum_subarray(list(nums), k), max_sum_brute(nums, k)
    assert got == want, f"max_sum_subarray({nums!r}, {k}) returned {got!r}, expected {want!r}"


# ---------------------------------------------------------------- max_sliding_window

MAX_CASES = {
    "the worked example": ([1, 3, -1, -3, 5, 3, 6, 7], 3, [3, 3, 5, 5, 6, 7]),
    "one element": ([4], 1, [4]),
    "k = 1 copies the input": ([2, -1, 5], 1, [2, -1, 5]),
    "k = len(nums) gives the overall max": ([2, -1, 5, 0], 4, [5]),
    "decreasing: the max leaves the window": ([9, 8, 7, 6, 5], 2, [9, 8, 7, 6]),
    "increasing": ([1, 2, 3, 4, 5], 3, [3, 4, 5]),
    "duplicates of the max": ([5, 5, 1, 5, 1, 1], 2, [5, 5, 5, 5, 1]),
    "all negative": ([-7, -3, -9, -4], 2, [-3, -3, -4]),
}


@pytest.mark.parametrize("nums,k,want", MAX_CASES.values(), ids=MAX_CASES.keys())
def test_max_sliding_window_gives_each_window_maximum(nums, k, want):
    got = max_sliding_window(list(nums), k)
    assert got == want, f"max_sliding_window({nums!r}, {k}) returned {got!r}, expected {want!r}"


@settings(max_examples=150, deadline=None)
@given(window_cases)
def test_max_sliding_window_matches_max_of_every_window(case):
    nums, k = case
    got, want = max_sliding_window(list(nums), k), max_sliding_brute(nums, k)
    assert got == want, f"max_sliding_window({nums!r}, {k}) returned {got!r}, expected {want!r}"


# ---------------------------------------------------------------- invalid k

BAD_K = {"k = 0": ([1, 2, 3], 0), "negative k": ([1, 2, 3], -1), "k > len(nums)": ([1, 2, 3], 4),
         "empty nums": ([], 1)}


@pytest.mark.parametrize("func", [max_sum_subarray, max_sliding_window], ids=lambda f: f.__name__)
@pytest.mark.parametrize("nums,k", BAD_K.values(), ids=BAD_K.keys())
def test_a_window_size_outside_1_to_len_raises_value_error(func, nums, k):
    with pytest.raises(ValueError):
        result = func(list(nums), k)
        pytest.fail(f"{func.__name__}({nums!r}, {k}) returned {result!r}; expected ValueError")


# ---------------------------------------------------------------- min_window

MIN_WINDOW_CASES = {
    "the worked example": ("ADOBECODEBANC", "ABC", "BANC"),
    "the whole string": ("a", "a", "a"),
    "duplicates in t must all be covered": ("a", "aa", ""),
    "duplicates covered by the whole string": ("aa", "aa", "aa"),
    "duplicates make the window longer": ("abcab", "aab", "abca"),
    "no window": ("abc", "d", ""),
    "empty t": ("abc", "", ""),
    "empty s": ("", "a", ""),
    "case matters": ("aAbB", "AB", "AbB"),
    "leftmost of two shortest windows": ("xabyba", "ab", "ab"),
    "t longer than s": ("ab", "abc", ""),
}


@pytest.mark.parametrize("s,t,want", MIN_WINDOW_CASES.values(), ids=MIN_WINDOW_CASES.keys())
def test_min_window_finds_the_shortest_covering_substring(s, t, want):
    got = min_window(s, t)
    assert got == want, f"min_window({s!r}, {t!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abc", max_size=14), st.text(alphabet="abc", max_size=4))
def test_min_window_matches_checking_every_substring(s, t):
    got, want = min_window(s, t), min_window_brute(s, t)
    assert got == want, f"min_window({s!r}, {t!r}) returned {got!r}, expected {want!r}"


# ---------------------------------------------------------------- complexity guards (10^6 elements)


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_max_sum_subarray_is_linear_on_a_million_elements():
    rng = random.Random(1)
    nums = [rng.randint(-1000, 1000) for _ in range(N)]
    nums[N // 2:] = [abs(x) for x in nums[N // 2:]]          # the second half is the best window
    got = within_time_limit(lambda: max_sum_subarray(nums, N // 2), "max_sum_subarray(10^6 numbers, k=500,000)")
    assert got == sum(nums[N // 2:]), "max_sum_subarray(10^6 numbers, k=500,000) missed the best window"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_max_sliding_window_is_linear_on_a_million_elements():
    nums = list(range(N, 0, -1))                             # decreasing: every window max is its first element
    got = within_time_limit(lambda: max_sliding_window(nums, N // 2),
                            "max_sliding_window(10^6 numbers, k=500,000)")
    assert got == nums[:N - N // 2 + 1], "max_sliding_window(10^6 decreasing numbers, k=500,000) is wrong"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_min_window_is_linear_on_a_million_characters():
    s = "a" * (N - 1) + "b"                                  # a start-by-start scan walks to the end each time
    got = within_time_limit(lambda: min_window(s, "aab"), "min_window(10^6 characters, 'aab')")
    assert got == "aab", f"min_window('a' * 999,999 + 'b', 'aab') returned {got[:20]!r}, expected 'aab'"
