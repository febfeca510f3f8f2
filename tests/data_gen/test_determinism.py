"""Same request, same bytes: whatever the workers, the chunking, or the run."""

from __future__ import annotations

import hashlib

import pytest

from data_gen import generate
from data_gen.blocks import BLOCK_ROWS

ROWS = 4 * BLOCK_ROWS + 123  # five blocks, the last one short

CASES = [("transactions", "csv"), ("transactions", "parquet"), ("events", "jsonl")]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(tmp_path, dataset, fmt, name, **kwargs):
    return generate(dataset, tmp_path / f"{name}.{fmt}", fmt=fmt, seed=11, progress=False, **kwargs)


@pytest.mark.parametrize(("dataset", "fmt"), CASES)
def test_rows_mode_is_identical_for_any_workers_and_chunks(tmp_path, dataset, fmt):
    reference = run(tmp_path, dataset, fmt, "ref", rows=ROWS, workers=1)
    regrouped = run(tmp_path, dataset, fmt, "regrouped", rows=ROWS, workers=1, chunk_rows=3 * BLOCK_ROWS)
    parallel = run(tmp_path, dataset, fmt, "parallel", rows=ROWS, workers=2, chunk_rows=1000)
    assert reference.rows == regrouped.rows == parallel.rows == ROWS
    assert digest(reference.path) == digest(regrouped.path) == digest(parallel.path)


@pytest.mark.parametrize(("dataset", "fmt"), CASES)
def test_size_mode_is_identical_for_any_workers_and_chunks(tmp_path, dataset, fmt):
    size = 12_345_678
    reference = run(tmp_path, dataset, fmt, "ref", size=size, workers=1)
    regrouped = run(tmp_path, dataset, fmt, "regrouped", size=size, workers=1, chunk_rows=2 * BLOCK_ROWS)
    parallel = run(tmp_path, dataset, fmt, "parallel", size=size, workers=2)
    assert reference.rows == regrouped.rows == parallel.rows
    assert digest(reference.path) == digest(regrouped.path) == digest(parallel.path)
    assert reference.bytes == reference.path.stat().st_size


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_text_size_mode_stops_at_the_last_whole_row_that_fits(tmp_path, fmt):
    size = 100_000
    result = run(tmp_path, "transactions", fmt, "sized", size=size)
    data = result.path.read_bytes()
    assert len(data) <= size
    assert data.endswith(b"\n")
    longest_line = max(len(line) + 1 for line in data.splitlines())
    assert size - len(data) < longest_line  # one more row would not have fitted
    assert result.rows == data.count(b"\n") - (fmt == "csv")


def test_parquet_size_mode_ends_on_the_first_row_group_reaching_the_size(tmp_path):
    import pyarrow.parquet as pq

    result = run(tmp_path, "sales", "parquet", "sized", size=1_000_000)
    metadata = pq.ParquetFile(result.path).metadata
    assert result.bytes >= 1_000_000
    assert metadata.num_rows == result.rows
    assert all(metadata.row_group(i).num_rows == BLOCK_ROWS for i in range(metadata.num_row_groups))


def test_different_seeds_give_different_data(tmp_path):
    a = generate("users", tmp_path / "a.csv", rows=500, seed=1)
    b = generate("users", tmp_path / "b.csv", rows=500, seed=2)
    again = generate("users", tmp_path / "c.csv", rows=500, seed=1)
    assert a.path.read_bytes() != b.path.read_bytes()
    assert a.path.read_bytes() == again.path.read_bytes()
