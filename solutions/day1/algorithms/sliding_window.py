"""Arrays: sliding windows, fixed and variable.

Three classic problems: the best sum of k consecutive numbers, LeetCode 239 (Sliding Window
Maximum) and LeetCode 76 (Minimum Window Substring). Interviewers ask them to see whether you can
update a window in O(1) as it moves, instead of recomputing it, and keep the right bookkeeping
(a monotonic deque, a table of counts) while it grows and shrinks.

    max_sum_subarray([1, 4, 2, 10, 2, 3, 1, 0, 20], 4)    # 24 (3 + 1 + 0 + 20)
    max_sliding_window([1, 3, -1, -3, 5, 3, 6, 7], 3)     # [3, 3, 5, 5, 6, 7]
    min_window("ADOBECODEBANC", "ABC")                    # "BANC"

Requirements
- `max_sum_subarray(nums, k)`: the largest sum of any k consecutive elements of nums. Numbers
  may be negative (then the answer is negative too). Raise ValueError unless 1 <= k <= len(nums).
- `max_sliding_window(nums, k)`: the maximum of each window of k consecutive elements, from left
  to right (len(nums) - k + 1 values). Raise ValueError unless 1 <= k <= len(nums).
- `min_window(s, t)`: the shortest substring of s that contains every character of t, counting
  duplicates ("AA" needs two A's). Case-sensitive. "" when there is none, or when t is "". When
  several shortest windows exist, return the leftmost one.
- Linear time: the tests run each function on 10^6 elements with windows of up to half a million
  under a timeout of a few seconds, so recomputing each window (O(n * k)) fails.
"""
from __future__ import annotations

from collections import Counter, deque


def _check_window(nums: list[int], k: int) -> None:
    if not 1 <= k <= len(nums):
        raise ValueError(f"k must be between 1 and len(nums) = {len(nums)}, got {k}")


def max_sum_subarray(nums: list[int], k: int) -> int:
    _check_window(nums, k)
    window = best = sum(nums[:k])
    for i in range(k, len(nums)):
        window += nums[i] - nums[i - k]      # one element enters, one leaves
        best = max(best, window)
    return best


def max_sliding_window(nums: list[int], k: int) -> list[int]:
    _check_window(nums, k)
    candidates: deque[int] = deque()         # indices; their values strictly decrease
    maxima = []
    for i, value in enumerate(nums):
        while candidates and nums[candidates[-1]] <= value:
            candidates.pop()                 # can never be a maximum again: value is newer and not smaller
        candidates.append(i)
        if candidates[0] == i - k:
            candidates.popleft()             # slid out of the window
        if i >= k - 1:
            maxima.append(nums[candidates[0]])
    return maxima


def min_window(s: str, t: str) -> str:
    if not t:
        return ""
    need = Counter(t)
    missing = len(t)                         # characters of t (with duplicates) not yet covered
    best_start, best_len = 0, len(s) + 1
    left = 0
    for right, char in enumerate(s):
        if need[char] > 0:
            missing -= 1
        need[char] -= 1                      # negative: the window holds more than needed
        if missing:
            continue
        while need[s[left]] < 0:             # drop surplus characters from the left
            need[s[left]] += 1
            left += 1
        if right - left + 1 < best_len:      # strict: keep the leftmost of equal lengths
            best_start, best_len = left, right - left + 1
        need[s[left]] += 1                   # give up the first needed character, look further
        missing += 1
        left += 1
    return s[best_start:best_start + best_len] if best_len <= len(s) else ""


# Why
# - max_sum_subarray: a running sum, O(n) time, O(1) space. Start `best` from the first window,
#   not from 0, or an all-negative array answers 0.
# - max_sliding_window: a monotonic deque. Each index is pushed and popped at most once, so O(n)
#   overall, O(k) space. A heap gives O(n log k); max(nums[i:i + k]) per window is O(n * k).
# - min_window: one Counter of what is still needed. Right grows the window until nothing is
#   missing, then left shrinks it while the window still covers t. Each pointer moves n times:
#   O(len(s) + len(t)). Counting with a set instead of a Counter forgets duplicates in t.
# - In the interview, name the invariant out loud: "the deque holds indices of decreasing values
#   inside the window", "missing counts what the window still lacks". That is what is being tested.
