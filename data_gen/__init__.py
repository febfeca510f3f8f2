"""Deterministic synthetic datasets for the katas and benchmarks.

    from data_gen import generate
    generate("transactions", "tx.csv", rows=100_000, seed=7)

Same dataset, seed, amount and format give byte-identical files, whatever the workers or chunks.
"""

from .engine import DataGenError, GenerateResult, generate
from .registry import DATASETS, Dataset
from .sizes import parse_size

__all__ = ["DATASETS", "DataGenError", "Dataset", "GenerateResult", "generate", "parse_size"]
