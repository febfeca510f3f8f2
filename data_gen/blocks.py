"""Fixed logical blocks: the unit of randomness that makes output independent of chunking.

Row r always belongs to block r // BLOCK_ROWS, and each block draws from its own generator
seeded with SeedSequence([seed, dataset index, block index]). Chunks and workers only decide
*who* builds which whole blocks, never *what* a block contains, so any split gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .registry import DATASETS

BLOCK_ROWS = 65_536  # changing this changes every output: it is part of the data's definition


@dataclass(frozen=True)
class Block:
    index: int
    rows: int

    @property
    def start(self) -> int:
        return self.index * BLOCK_ROWS


def block_rng(seed: int, dataset: str, index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, DATASETS[dataset].index, index]))


def build_block(dataset: str, seed: int, block: Block, options: dict) -> pl.DataFrame:
    """The rows of ``block``: the same frame whichever process builds it, whenever."""
    spec = DATASETS[dataset]
    frame = spec.build(block_rng(seed, dataset, block.index), block.start, block.rows, options)
    assert frame.columns == list(spec.columns), (frame.columns, spec.columns)
    return frame


def blocks_for_rows(rows: int) -> list[Block]:
    """The blocks holding rows 0..rows-1; only the last one may be short."""
    full, rest = divmod(rows, BLOCK_ROWS)
    return [Block(i, BLOCK_ROWS) for i in range(full)] + ([Block(full, rest)] if rest else [])


def endless_blocks():
    """Full blocks 0, 1, 2, ... for size mode, where the writer decides where to stop."""
    index = 0
    while True:
        yield Block(index, BLOCK_ROWS)
        index += 1
