"""Tests for the trees and graphs kata: run `pytest katas/day1/algorithms/test_graphs.py`."""
import sys
from collections import deque
from itertools import product

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dojo.guards import within_time_limit
from katas.day1.algorithms.graphs import (
    TreeNode,
    can_finish,
    ladder_length,
    level_order,
    num_islands,
    tree_from_list,
)

GUARD_TIMEOUT_S = 10      # the reference needs about a second for each guard
DEEP = 100_000            # far beyond Python's recursion limit of about 1,000




def assert_recursion_limit_left_alone(what: str) -> None:
    """A recursive answer that only passes because it raised sys.setrecursionlimit does not count."""
    limit = sys.getrecursionlimit()
    if limit > 10_000:
        sys.setrecursionlimit(1000)          # put the default back so later tests are not affected
    assert limit <= 10_000, (f"after {what} the recursion limit is {limit}: use an explicit stack or queue "
                             "instead of sys.setrecursionlimit")


# ---------------------------------------------------------------- helpers and brute-force oracles


def as_grid(rows: list[str]) -> list[list[str]]:
    return [list(row) for row in rows]


def islands_brute(grid: list[list[str]]) -> int:
    """Label propagation: every land cell takes its neighbours' smallest label until nothing changes."""
    label = {(r, c): r * 100 + c for r, row in enumerate(grid) for c, cell in enumerate(row) if cell == "1"}
    changed = True
    while changed:
        changed = False
        for (r, c), own in label.items():
            smallest = min([own] + [label[n] for n in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)) if n in label])
            if smallest < own:
                label[(r, c)], changed = smallest, True
    return len(set(label.values()))


def build(shape) -> TreeNode | None:
    """(val, left, right) nested tuples -> TreeNode; small trees only."""
    if shape is None:
        return None
    val, left, right = shape
    return TreeNode(val, build(left), build(right))


def shape_of(node) -> tuple | None:
    """TreeNode -> (val, left, right) nested tuples, for comparing small trees."""
    if node is None:
        return None
    return (node.val, shape_of(node.left), shape_of(node.right))


def leetcode_list(shape) -> list:
    """The level-order list LeetCode would print for a tree: None for a missing child, trailing Nones cut."""
    out, queue = [], deque([shape])
    while queue:
        node = queue.popleft()
        out.append(None if node is None else node[0])
        if node is not None:
            queue.extend([node[1], node[2]])
    while out and out[-1] is None:
        out.pop()
    return out


def levels_brute(shape) -> list[list[int]]:
    levels: list[list[int]] = []

    def visit(node, depth):
        if node is None:
            return
        if depth == len(levels):
            levels.append([])
        levels[depth].append(node[0])
        visit(node[1], depth + 1)
        visit(node[2], depth + 1)

    visit(shape, 0)
    return levels


def has_cycle_brute(n: int, prerequisites: list[list[int]]) -> bool:
    """Transitive closure (Floyd-Warshall): a cycle is a course that must come before itself."""
    before = [[False] * n for _ in range(n)]
    for course, first in prerequisites:
        before[first][course] = True
    for k in range(n):
        for i in range(n):
            for j in range(n):
                before[i][j] = before[i][j] or (before[i][k] and before[k][j])
    return any(before[i][i] for i in range(n))


def ladder_brute(begin: str, end: str, words: list[str]) -> int:
    """BFS comparing every pair of words, letter by letter."""
    if end not in words:
        return 0
    seen, frontier, length = {begin}, [begin], 1
    while frontier:
        length += 1
        frontier = [w for w in set(words) - seen
                    if any(sum(a != b for a, b in zip(u, w)) == 1 for u in frontier)]
        if end in frontier:
            return length
        seen.update(frontier)
    return 0


trees = st.recursive(st.none(), lambda kids: st.tuples(st.integers(0, 9), kids, kids), max_leaves=12)


# ---------------------------------------------------------------- num_islands

ISLAND_CASES = {
    "LeetCode example 1": (["11110", "11010", "11000", "00000"], 1),
    "LeetCode example 2": (["11000", "11000", "00100", "00011"], 3),
    "empty grid": ([], 0),
    "all water": (["000", "000"], 0),
    "one cell of land": (["1"], 1),
    "diagonal cells are separate islands": (["10", "01"], 2),
    "an island around a lake is one island": (["111", "101", "111"], 1),
    "a U shape joins at the bottom": (["101", "101", "111"], 1),
    "a spiral": (["11111", "00001", "11101", "10001", "11111"], 1),
}


@pytest.mark.parametrize("rows,want", ISLAND_CASES.values(), ids=ISLAND_CASES.keys())
def test_num_islands_counts_four_connected_groups(rows, want):
    got = num_islands(as_grid(rows))
    assert got == want, f"num_islands({rows!r}) returned {got}, expected {want}"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6).flatmap(lambda w: st.lists(st.text("01", min_size=w, max_size=w), min_size=1, max_size=6)))
def test_num_islands_matches_label_propagation(rows):
    got, want = num_islands(as_grid(rows)), islands_brute(as_grid(rows))
    assert got == want, f"num_islands({rows!r}) returned {got}, expected {want}"


@pytest.mark.timeout(GUARD_TIMEOUT_S)
@pytest.mark.parametrize("shape", ["1 x 100,000", "100,000 x 1"])
def test_num_islands_survives_a_100000_cell_strip_without_recursion_error(shape):
    grid = [["1"] * DEEP] if shape.startswith("1 ") else [["1"] for _ in range(DEEP)]
    got = within_time_limit(lambda: num_islands(grid), f"num_islands({shape} strip)")
    assert_recursion_limit_left_alone(f"num_islands({shape} strip)")
    assert got == 1, f"num_islands(a {shape} strip of land) returned {got}, expected 1"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_num_islands_is_linear_on_a_million_cells():
    size = 1000                 # a snake: full rows joined at alternate ends, one island of ~500,000 cells
    grid = [["1"] * size if r % 2 == 0 else ["1" if c == (size - 1 if r % 4 == 1 else 0) else "0" for c in range(size)]
            for r in range(size)]
    got = within_time_limit(lambda: num_islands(grid), "num_islands(1000 x 1000 snake)")
    assert got == 1, f"num_islands(1000 x 1000 snake of land) returned {got}, expected 1"


# ---------------------------------------------------------------- tree_from_list

TREE_CASES = {
    "empty list": ([], None),
    "only None": ([None], None),
    "one node": ([1], (1, None, None)),
    "LeetCode example": ([3, 9, 20, None, None, 15, 7], (3, (9, None, None), (20, (15, None, None), (7, None, None)))),
    "a missing node takes no slots": ([1, None, 2, 3], (1, None, (2, (3, None, None), None))),
    "left chain": ([1, 2, None, 3], (1, (2, (3, None, None), None), None)),
    "trailing Nones are ignored": ([1, 2, None, None, None], (1, (2, None, None), None)),
    "gaps on two levels": ([5, 4, 8, 11, None, 13, 4, 7, 2, None, None, None, 1],
                           (5, (4, (11, (7, None, None), (2, None, None)), None),
                            (8, (13, None, None), (4, None, (1, None, None))))),
}


@pytest.mark.parametrize("values,want", TREE_CASES.values(), ids=TREE_CASES.keys())
def test_tree_from_list_reads_the_leetcode_level_order_format(values, want):
    got = shape_of(tree_from_list(list(values)))
    assert got == want, f"tree_from_list({values!r}) built {got!r} as (val, left, right), expected {want!r}"


@settings(max_examples=100, deadline=None)
@given(trees)
def test_tree_from_list_rebuilds_any_tree_from_its_leetcode_list(shape):
    values = leetcode_list(shape)
    got = shape_of(tree_from_list(values))
    assert got == shape, f"tree_from_list({values!r}) built {got!r}, expected {shape!r}"


@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_tree_from_list_builds_a_100000_deep_chain():
    values = [0]
    for i in range(1, DEEP):
        values += [i, None]                # every node has only a left child
    node = within_time_limit(lambda: tree_from_list(values), "tree_from_list(100,000-deep chain)")
    assert_recursion_limit_left_alone("tree_from_list(100,000-deep chain)")
    depth = 0
    while node is not None:
        assert node.val == depth and node.right is None, f"node at depth {depth} is {node!r}, expected a left chain"
        node, depth = node.left, depth + 1
    assert depth == DEEP, f"the chain is {depth} nodes deep, expected {DEEP}"


# ---------------------------------------------------------------- level_order

LEVEL_CASES = {
    "empty tree": (None, []),
    "one node": ((1, None, None), [[1]]),
    "LeetCode example": ((3, (9, None, None), (20, (15, None, None), (7, None, None))), [[3], [9, 20], [15, 7]]),
    "right-leaning chain": ((1, None, (2, None, (3, None, None))), [[1], [2], [3]]),
    "gaps inside a level": ((1, (2, (4, None, None), None), (3, None, (5, None, None))), [[1], [2, 3], [4, 5]]),
    "repeated values": ((7, (7, None, None), (7, None, None)), [[7], [7, 7]]),
}


@pytest.mark.parametrize("shape,want", LEVEL_CASES.values(), ids=LEVEL_CASES.keys())
def test_level_order_lists_values_level_by_level_left_to_right(shape, want):
    got = level_order(build(shape))
    assert got == want, f"level_order(tree {shape!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=100, deadline=None)
@given(trees)
def test_level_order_matches_a_depth_first_oracle(shape):
    got, want = level_order(build(shape)), levels_brute(shape)
    assert got == want, f"level_order(tree {shape!r}) returned {got!r}, expected {want!r}"


@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_level_order_survives_a_100000_deep_tree_without_recursion_error():
    root = None
    for val in reversed(range(DEEP)):        # 0 -> 1 -> ... alternating left and right children
        root = TreeNode(val, root, None) if val % 2 else TreeNode(val, None, root)
    got = within_time_limit(lambda: level_order(root), "level_order(100,000-deep chain)")
    assert_recursion_limit_left_alone("level_order(100,000-deep chain)")
    assert got == [[v] for v in range(DEEP)], \
        f"level_order(100,000-deep chain 0, 1, 2, ...) returned {len(got)} levels starting {got[:3]!r}"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_tree_from_list_and_level_order_are_linear_on_a_million_nodes():
    depth = 20                                # a complete tree: 2^20 - 1 = 1,048,575 nodes
    got = within_time_limit(lambda: level_order(tree_from_list(list(range(2 ** depth - 1)))),
                            "level_order(tree_from_list(range(2^20 - 1)))")
    want = [list(range(2 ** d - 1, 2 ** (d + 1) - 1)) for d in range(depth)]
    assert got == want, "level_order(tree_from_list(range(2^20 - 1))) did not give the 20 levels of a complete tree"


# ---------------------------------------------------------------- can_finish

COURSE_CASES = {
    "one prerequisite": (2, [[1, 0]], True),
    "two courses in a cycle": (2, [[1, 0], [0, 1]], False),
    "no prerequisites": (3, [], True),
    "one course": (1, [], True),
    "a course that requires itself": (1, [[0, 0]], False),
    "duplicate prerequisites": (2, [[1, 0], [1, 0]], True),
    "a diamond is not a cycle": (4, [[1, 0], [2, 0], [3, 1], [3, 2]], True),
    "cycle away from course 0": (5, [[1, 0], [3, 4], [4, 3]], False),
    "three-course cycle, course 0 alone": (6, [[1, 0], [3, 5], [4, 3], [5, 4]], False),
    "self-loop on the last course": (4, [[1, 0], [2, 1], [3, 3]], False),
}


@pytest.mark.parametrize("n,prerequisites,want", COURSE_CASES.values(), ids=COURSE_CASES.keys())
def test_can_finish_is_false_exactly_when_there_is_a_cycle(n, prerequisites, want):
    got = can_finish(n, [list(p) for p in prerequisites])
    assert got is want, f"can_finish({n}, {prerequisites!r}) returned {got!r}, expected {want!r}"


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.lists(st.integers(0, n - 1), min_size=2, max_size=2), max_size=8))))
def test_can_finish_matches_a_transitive_closure(case):
    n, prerequisites = case
    got, want = can_finish(n, [list(p) for p in prerequisites]), not has_cycle_brute(n, prerequisites)
    assert got is want, f"can_finish({n}, {prerequisites!r}) returned {got!r}, expected {want!r}"


@pytest.mark.timeout(GUARD_TIMEOUT_S)
@pytest.mark.parametrize("closing_edge,want", [(None, True), ("last two courses", False)],
                         ids=["plain chain", "cycle at the far end"])
def test_can_finish_survives_a_100000_course_chain_without_recursion_error(closing_edge, want):
    prerequisites = [[i + 1, i] for i in range(DEEP - 1)]          # 0 before 1 before 2 ...
    if closing_edge:
        prerequisites.append([DEEP - 2, DEEP - 1])                   # ... and 99,999 before 99,998
    got = within_time_limit(lambda: can_finish(DEEP, prerequisites), "can_finish(100,000-course chain)")
    assert_recursion_limit_left_alone("can_finish(100,000-course chain)")
    assert got is want, f"can_finish(100,000 courses in a chain, {closing_edge or 'no cycle'}) returned {got!r}"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_can_finish_is_linear_on_a_million_prerequisites():
    # 100,000 courses; course c needs c - 1 and nine scattered earlier courses: 10^6 pairs, no cycle.
    prerequisites = [[c, c - 1 - (c * k * 7919) % c] for c in range(1, DEEP) for k in range(10)]
    got = within_time_limit(lambda: can_finish(DEEP, prerequisites), "can_finish(10^6 prerequisites)")
    assert got is True, "a DAG of 10^6 prerequisites has no cycle"


# ---------------------------------------------------------------- ladder_length

LADDER_CASES = {
    "LeetCode example": ("hit", "cog", ["hot", "dot", "dog", "lot", "log", "cog"], 5),
    "end not in words": ("hit", "cog", ["hot", "dot", "dog", "lot", "log"], 0),
    "one step counts two words": ("hot", "dot", ["dot"], 2),
    "begin may be in words": ("a", "c", ["a", "b", "c"], 2),
    "no path": ("hit", "cog", ["hot", "cog"], 0),
    "the shorter of two paths": ("aaa", "ccc", ["aab", "abb", "bbb", "bbc", "bcc", "ccc", "aac", "acc"], 4),
}


@pytest.mark.parametrize("begin,end,words,want", LADDER_CASES.values(), ids=LADDER_CASES.keys())
def test_ladder_length_counts_words_in_the_shortest_sequence(begin, end, words, want):
    got = ladder_length(begin, end, list(words))
    assert got == want, f"ladder_length({begin!r}, {end!r}, {words!r}) returned {got}, expected {want}"


@settings(max_examples=100, deadline=None)
@given(st.text("abc", min_size=3, max_size=3), st.text("abc", min_size=3, max_size=3),
       st.lists(st.text("abc", min_size=3, max_size=3), max_size=12))
def test_ladder_length_matches_a_pairwise_bfs(begin, end, words):
    assume(begin != end)
    got, want = ladder_length(begin, end, list(words)), ladder_brute(begin, end, words)
    assert got == want, f"ladder_length({begin!r}, {end!r}, {words!r}) returned {got}, expected {want}"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_ladder_length_is_linear_on_100000_words():
    words = ["".join(letters) for letters in product("abcdefghij", repeat=5)]   # every 5-letter word over a-j
    got = within_time_limit(lambda: ladder_length("aaaaa", "jjjjj", words), "ladder_length(10^5 words)")
    assert got == 6, f"ladder_length('aaaaa', 'jjjjj', all 10^5 words over a-j) returned {got}, expected 6"
