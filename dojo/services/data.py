"""Small deterministic data sets for tests: built once per session, handed out as copies."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def _dataset_cache(tmp_path_factory):
    folder = tmp_path_factory.mktemp("datasets")
    built: dict[tuple, Path] = {}

    def build(dataset: str, rows: int, fmt: str, seed: int, **options) -> Path:
        key = (dataset, rows, fmt, seed, tuple(sorted(options.items())))
        if key not in built:
            import data_gen

            target = folder / f"{dataset}-{len(built)}.{fmt}"
            data_gen.generate(dataset, target, rows=rows, fmt=fmt, seed=seed, **options)
            built[key] = target
        return built[key]

    return build


@pytest.fixture
def dataset(_dataset_cache, tmp_path):
    """`dataset("transactions", rows=1000, fmt="csv", seed=7, users=200)` -> a private copy of a cached file."""

    def copy(name: str, rows: int = 1000, fmt: str = "csv", seed: int = 7, **options) -> Path:
        source = _dataset_cache(name, rows, fmt, seed, **options)
        target = tmp_path / source.name
        shutil.copyfile(source, target)
        return target

    return copy
