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

from collections import defaultdict, deque


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
    rows, cols = len(grid), len(grid[0]) if grid else 0
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != "1":
                continue
            islands += 1
            grid[r][c] = "0"                     # sink each cell when it is queued: no visited set
            queue = deque([(r, c)])
            while queue:
                y, x = queue.popleft()
                for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == "1":
                        grid[ny][nx] = "0"
                        queue.append((ny, nx))
    return islands


def tree_from_list(values: list[int | None]) -> TreeNode | None:
    if not values or values[0] is None:
        return None
    root = TreeNode(values[0])
    parents = deque([root])
    i = 1
    while parents and i < len(values):
        parent = parents.popleft()           # None entries never enter this queue: no gaps kept
        if values[i] is not None:
            parent.left = TreeNode(values[i])
            parents.append(parent.left)
        i += 1
        if i < len(values) and values[i] is not None:
            parent.right = TreeNode(values[i])
            parents.append(parent.right)
        i += 1
    return root


def level_order(root: TreeNode | None) -> list[list[int]]:
    levels = []
    level = [root] if root else []
    while level:
        levels.append([node.val for node in level])
        level = [child for node in level for child in (node.left, node.right) if child]
    return levels


def can_finish(num_courses: int, prerequisites: list[list[int]]) -> bool:
    unlocks: list[list[int]] = [[] for _ in range(num_courses)]
    waiting_on = [0] * num_courses               # prerequisites not yet taken, per course
    for course, before in prerequisites:
        unlocks[before].append(course)
        waiting_on[course] += 1
    ready = deque(c for c in range(num_courses) if waiting_on[c] == 0)   # every start, not just 0
    taken = 0
    while ready:
        course = ready.popleft()
        taken += 1
        for nxt in unlocks[course]:
            waiting_on[nxt] -= 1
            if waiting_on[nxt] == 0:
                ready.append(nxt)
    return taken == num_courses                  # a cycle anywhere leaves its courses untaken


def ladder_length(begin: str, end: str, words: list[str]) -> int:
    dictionary = set(words)
    if end not in dictionary:
        return 0
    by_pattern: dict[str, list[str]] = defaultdict(list)      # "h*t" -> ["hot", "hit", ...]
    for word in dictionary:
        for i in range(len(word)):
            by_pattern[word[:i] + "*" + word[i + 1:]].append(word)
    seen = {begin}
    queue = deque([(begin, 1)])
    while queue:
        word, length = queue.popleft()
        for i in range(len(word)):
            pattern = word[:i] + "*" + word[i + 1:]
            for nxt in by_pattern.pop(pattern, ()):          # each bucket is used once
                if nxt == end:
                    return length + 1
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append((nxt, length + 1))
    return 0


# Why
# - Everything is iterative: a deque for BFS, a list of ready courses for Kahn's algorithm. A
#   recursive DFS is shorter to write but dies with RecursionError on a 100,000-long path.
#   sys.setrecursionlimit only moves the cliff: memory per frame is still spent, a deeper input
#   still fails, and once C code is on the stack (3.12+, callbacks) it can overflow the C stack.
# - num_islands: O(rows * cols). Sinking a cell when it is queued marks it visited in O(1); a
#   `visited` list makes every check O(n), and marking on pop queues cells more than once.
# - level_order: build the next level from the current one; no queue needed, O(n). A list used as
#   a queue with pop(0) is O(n) per pop, O(n^2) in total.
# - can_finish: Kahn's algorithm, O(V + E). It starts from every course with no prerequisites and
#   counts what it could take, so a cycle anywhere is found. A DFS with white/grey/black colours
#   is the other answer; it must be started from every unvisited course, not only from 0.
# - ladder_length: BFS over an implicit graph; words one letter apart share a wildcard pattern.
#   Bucketing costs O(N * L^2) for slicing; popping each bucket after its first use keeps the
#   search linear in the number of (word, pattern) pairs. Comparing every pair of words is
#   O(N^2 * L). Counting words, not steps, is the classic off-by-one.
