"""What a worker process does with a task: build its blocks, encode them, and place them.

CSV and JSON lines blocks are written straight into the output file through this process's
Appender; Parquet tables go back to the parent, which owns the single ParquetWriter.
The parent runs the same code for the first task, so it calls setup()/teardown() too.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import writers
from .appender import Appender, SharedCursor
from .blocks import Block, build_block
from .registry import DATASETS

_appender: Appender | None = None


@dataclass(frozen=True)
class Task:
    """Whole consecutive blocks for one worker: picklable, and all a worker needs."""

    dataset: str
    seed: int
    fmt: str
    options: tuple
    blocks: tuple[Block, ...]


def setup(cursor: SharedCursor | None, path: str, header_lines: int, budget: int | None) -> None:
    global _appender
    _appender = Appender(cursor, path, header_lines=header_lines, budget=budget) if cursor else None


def teardown() -> None:
    global _appender
    if _appender is not None:
        _appender.close()
        _appender = None


def run_task(task: Task) -> tuple[list, bool]:
    """Returns (tables, finished).

    Parquet: the [(table, rows), ...] for the parent to write. Text: no tables (the blocks are
    already in the file) and whether the byte budget ran out in this task.
    """
    spec = DATASETS[task.dataset]
    tables = []
    for block in task.blocks:
        frame = build_block(task.dataset, task.seed, block, dict(task.options))
        payload = writers.encode(frame, task.fmt, header=block.index == 0, quote_style=spec.csv_quote_style)
        if _appender is None:
            tables.append((payload, block.rows))
        elif _appender.append(block.index, payload, block.rows):
            return tables, True
    return tables, False
