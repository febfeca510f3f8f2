"""Trees and graphs: breadth-first and depth-first search without recursion limits.

Four classic LeetCode problems: Number of Islands (200), Binary Tree Level Order Traversal (102),
Course Schedule (207) and Word Ladder (127). Interviewers ask them to see BFS and DFS, visited
sets, cycle detection, and whether you know that Python's recursion limit (about 1,000 frames)
breaks a recursive DFS on a long path.

    num_islands([["1", "1", "0"],
                 ["0", "1", "0"],
                 ["0", "0", "1"]])                          # 2
    level_order(tree_from_list([3, 9, 20, None, None, 15, 7]))  # [[3], [9, 20], [15, 7]]
    can_finish(2, [[1, 0]])                                 # True: take 0, then 1
    can_finish(2, [[1, 0], [0, 1]])                         # False: a cycle
    ladder_length("hit", "cog", ["hot", "dot", "dog", "lot", "log", "cog"])  # 5

Requirements
- `num_islands(grid)`: grid is a list of rows of "1" (land) and "0" (water); count the groups of
  land cells connected up, down, left or right (not diagonally). An empty grid has 0 islands.
  You may modify grid.
- `TreeNode(val, left, right)` is given. `tree_from_list(values)` builds a tree from the usual
  LeetCode level-order list: values[0] is the root; then, level by level, every node that is not
  None takes the next two values as its left and right child, where None means "no child" and a
  missing node gets no entries of its own. Trailing Nones may be left out. [] or [None] gives None.
  Example: [1, None, 2, 3] is 1 with right child 2, whose left child is 3.
- `level_order(root)`: the node values level by level, each level from left to right; [] for an
  empty tree.
- `can_finish(num_courses, prerequisites)`: courses are 0 .. num_courses - 1 and [a, b] means "b
  must be taken before a". True when all courses can be taken, i.e. the prerequisites contain no
  cycle, wherever it is (a cycle among courses 3 and 4 matters as much as one through course 0;
  [a, a] is a cycle). Duplicate pairs are allowed.
- `ladder_length(begin, end, words)`: the number of words in the shortest sequence from begin to
  end where each step changes exactly one letter and every word after begin is in words (begin
  itself need not be). 0 when there is none, in particular when end is not in words. All words
  have the same length; begin differs from end.
- No recursion limit: the tests use a 1 x 100,000 strip of land, a 100,000-deep tree and a chain
  of 100,000 courses. Use an explicit stack or queue; raising sys.setrecursionlimit is not the
  answer (a deeper input, or C code on the stack, still crashes) and the tests check it stays low.
- Linear time: the tests also run on about 10^6 grid cells, tree nodes or prerequisites, and on
  100,000 words, under a timeout of a few seconds, so list.pop(0) queues, `in` on a list of
  visited cells, rescanning all courses each round and comparing every pair of words all fail.
"""
from __future__ import annotations


class TreeNode:
    """A binary tree node, as LeetCode defines it (given: nothing to implement here)."""

    __slots__ = ("left", "right", "val")

    def __init__(self, val: int = 0, left: TreeNode | None = None, right: TreeNode | None = None):
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self) -> str:       # shallow on purpose: a deep tree must not recurse here
        return f"TreeNode({self.val!r})"


def num_islands(grid: list[list[str]]) -> int:
    raise NotImplementedError("TODO: scan the grid; flood each new piece of land with a BFS queue and count")


def tree_from_list(values: list[int | None]) -> TreeNode | None:
    raise NotImplementedError("TODO: give each real node, in queue order, the next two values as children")


def level_order(root: TreeNode | None) -> list[list[int]]:
    raise NotImplementedError("TODO: walk the tree one level at a time, collecting values left to right")


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    raise NotImplementedError("TODO: take courses with no prerequisites left (Kahn); did you take them all?")


def ladder_length(begin: str, end: str, words: list[str]) -> int:
    raise NotImplementedError("TODO: BFS from begin; neighbours are words that differ in one letter")
