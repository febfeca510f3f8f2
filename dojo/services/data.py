"""Small deterministic data sets for tests: built once per session, handed out as copies."""
from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def bench_data(request):
    """`bench_data("transactions", fmt="csv")` -> a file of --data-size bytes in .data/, deleted after the run."""
    import data_gen
    from dojo.paths import DATA

    size = data_gen.parse_size(request.config.getoption("data_size"))
    made: dict[tuple, Path] = {}

    def make(name: str, fmt: str = "csv", seed: int = 1, **options) -> Path:
        key = (name, fmt, seed, tuple(sorted(options.items())))
        if key not in made:
            DATA.mkdir(exist_ok=True)
            # the pid keeps two runs at once (verify runs two) from sharing, and deleting, one file
            target = DATA / f"bench-{name}-{size}-{seed}-{os.getpid()}-{len(made)}.{fmt}"
            data_gen.generate(name, target, size=size, fmt=fmt, seed=seed, **options)
            made[key] = target
        return made[key]

    yield make
    for path in made.values():
        path.unlink(missing_ok=True)
