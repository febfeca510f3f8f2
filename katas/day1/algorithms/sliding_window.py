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


def max_sum_subarray(nums: list[int], k: int) -> int:
    raise NotImplementedError("TODO: keep a running window sum; add the entering element, subtract the leaving one")


def max_sliding_window(nums: list[int], k: int) -> list[int]:
    raise NotImplementedError("TODO: keep a deque of indices whose values decrease; its front is the maximum")


def min_window(s: str, t: str) -> str:
    raise NotImplementedError("TODO: grow the window until it covers t (with counts), then shrink it from the left")
