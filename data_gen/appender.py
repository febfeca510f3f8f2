"""Let several processes append text blocks to one file, in block order, writing in parallel.

Sending every block back to the parent costs more than building it (pickle, pipe, copy). Here a
worker that has encoded block i only waits until block i-1 has *claimed* its place, takes the
next offset under a lock (a few integers), and writes its bytes with os.pwrite outside the lock.
The offsets are the running total of the block lengths in block order, so the file is the same
whichever worker builds which block.

The same lock enforces the byte budget of size mode: the block that would cross it is cut after
its last whole line that fits, and every later block is dropped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

_NEXT_BLOCK, _OFFSET, _ROWS, _STOPPED = range(4)


class BudgetTooSmall(ValueError):
    """The byte budget cannot hold the header and one row."""


@dataclass
class SharedCursor:
    """Where the next block goes; created in the parent, inherited by the workers."""

    condition: object  # multiprocessing Condition
    state: object  # multiprocessing RawArray('q', 4)

    @classmethod
    def create(cls, context) -> SharedCursor:
        return cls(context.Condition(), context.RawArray("q", 4))

    @property
    def bytes(self) -> int:
        return self.state[_OFFSET]

    @property
    def rows(self) -> int:
        return self.state[_ROWS]


class Appender:
    """One per process: claims offsets through the cursor and writes to its own descriptor."""

    def __init__(self, cursor: SharedCursor, path: str, *, header_lines: int, budget: int | None):
        self.cursor = cursor
        self.header_lines = header_lines
        self.budget = budget
        self.fd = os.open(path, os.O_WRONLY)

    def append(self, block_index: int, payload: bytes, rows: int) -> bool:
        """Write block ``block_index``; True if the budget ran out at or before this block.

        The answer is decided under the lock, and returned only after this block's bytes are
        written: the parent may stop the workers as soon as it sees True.
        """
        offset, payload, finished = self._claim(block_index, payload, rows)
        view = memoryview(payload)
        while view:  # pwrite may write less than asked
            written = os.pwrite(self.fd, view, offset)
            view, offset = view[written:], offset + written
        return finished

    def _claim(self, block_index: int, payload: bytes, rows: int) -> tuple[int, bytes, bool]:
        state = self.cursor.state
        with self.cursor.condition:
            self.cursor.condition.wait_for(lambda: state[_NEXT_BLOCK] == block_index)
            offset = state[_OFFSET]
            if state[_STOPPED]:
                payload, rows = b"", 0
            elif self.budget is not None and offset + len(payload) > self.budget:
                payload, rows = self._cut(payload, offset)
                state[_STOPPED] = 1
            state[_OFFSET] = offset + len(payload)
            state[_ROWS] += rows
            state[_NEXT_BLOCK] = block_index + 1
            finished = bool(state[_STOPPED])
            self.cursor.condition.notify_all()
        return offset, payload, finished

    def _cut(self, payload: bytes, offset: int) -> tuple[bytes, int]:
        # Keep the last whole line that fits: a newline at index i ends a prefix of i + 1 bytes.
        kept = payload[: payload.rfind(b"\n", 0, self.budget - offset) + 1]
        rows = kept.count(b"\n") - (self.header_lines if offset == 0 else 0)
        if offset == 0 and rows <= 0:
            raise BudgetTooSmall(f"size {self.budget} bytes is too small to hold a single row")
        return kept, rows

    def close(self) -> None:
        os.close(self.fd)
