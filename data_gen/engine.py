"""generate(): check the request, plan the blocks, run them, and publish the file atomically.

The output appears only when complete: blocks go to a hidden temp file in the same directory,
renamed over the target at the end; any error, Ctrl-C or SIGTERM removes the temp file instead.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import secrets
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from . import worker, writers
from .appender import BudgetTooSmall, SharedCursor
from .blocks import BLOCK_ROWS, blocks_for_rows, endless_blocks
from .parallel import ordered_results
from .progress import Progress
from .registry import DATASETS
from .sizes import parse_size

SMALL_SIZE = 16 << 20  # bytes; below this a size-mode run is a few blocks, made in-process


class DataGenError(ValueError):
    """A bad request: the CLI prints the message as one line and exits with status 2."""


@dataclass(frozen=True)
class GenerateResult:
    path: Path
    rows: int
    bytes: int
    seconds: float = 0.0


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DataGenError(f"{name} must be a positive integer, got {value!r}")
    return value


def _chunks(blocks, per_task: int):
    blocks = iter(blocks)
    while group := tuple(islice(blocks, per_task)):
        yield group


def generate(
    dataset: str,
    out: str | Path,
    *,
    rows: int | None = None,
    size: int | str | None = None,
    fmt: str = "csv",
    seed: int = 0,
    workers: int | None = None,
    chunk_rows: int | None = None,
    progress: bool = False,
    users: int | None = None,
) -> GenerateResult:
    """Write ``rows`` rows (or about ``size`` bytes) of ``dataset`` to ``out``; same inputs, same bytes.

    Size mode keeps the last whole row that leaves the file <= size (CSV, JSON lines); Parquet
    stops after the first row group (one per 65,536-row block) that brings the file to size.
    ``workers`` and ``chunk_rows`` change only speed, never the output.
    """
    if dataset not in DATASETS:
        raise DataGenError(f"unknown dataset {dataset!r}; known datasets: {', '.join(DATASETS)}")
    spec = DATASETS[dataset]
    if fmt not in writers.FORMATS:
        raise DataGenError(f"unknown format {fmt!r}; choose from {', '.join(writers.FORMATS)}")
    if fmt not in spec.formats:
        raise DataGenError(f"dataset {dataset} cannot be written as {fmt}; use {' or '.join(spec.formats)}")
    if (rows is None) == (size is None):
        raise DataGenError("give exactly one of --rows or --size")
    if rows is not None:
        rows = _positive_int("--rows", rows)
    else:
        try:
            size = parse_size(size)
        except ValueError as exc:
            raise DataGenError(f"--size: {exc}") from None
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise DataGenError(f"--seed must be a non-negative integer, got {seed!r}")
    workers = _positive_int("--workers", workers) if workers is not None else (os.cpu_count() or 1)
    chunk_rows = _positive_int("--chunk-rows", chunk_rows) if chunk_rows is not None else BLOCK_ROWS
    options = {} if users is None else {"users": _positive_int("--users", users)}
    out = Path(out)
    if not out.parent.is_dir():
        raise DataGenError(f"output directory {str(out.parent)!r} does not exist")
    if out.is_dir():
        raise DataGenError(f"output path {str(out)!r} is a directory")

    blocks = blocks_for_rows(rows) if rows is not None else endless_blocks()
    per_task = max(1, chunk_rows // BLOCK_ROWS)
    tasks = (
        worker.Task(dataset, seed, fmt, tuple(sorted(options.items())), group)
        for group in _chunks(blocks, per_task)
    )
    small = rows is not None and -(-rows // (BLOCK_ROWS * per_task)) <= 2
    if small or (size is not None and size <= SMALL_SIZE):
        workers = 1  # starting processes would cost more than they save

    bar = Progress(f"{dataset}.{fmt}", rows or size, "rows" if rows else "bytes", enabled=progress)
    temp = out.parent / f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
    started = time.perf_counter()
    try:
        with open(temp, "xb") as file:
            if fmt == "parquet":
                written_rows = _write_parquet(file, tasks, workers, size, bar)
            else:
                written_rows = _write_text(temp, tasks, workers, size, bar, header_lines=int(fmt == "csv"))
        result = GenerateResult(out, written_rows, temp.stat().st_size, time.perf_counter() - started)
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    bar.close(result.rows, result.bytes)
    return result


def _write_text(
    path: Path, tasks, workers: int, budget: int | None, bar: Progress, *, header_lines: int
) -> int:
    """Workers (and this process, for the first task) pwrite their blocks into ``path`` in order."""
    cursor = SharedCursor.create(multiprocessing.get_context("spawn"))
    setup_args = (cursor, str(path), header_lines, budget)
    worker.setup(*setup_args)
    try:
        results = ordered_results(
            worker.run_task, tasks, workers, initializer=worker.setup, initargs=setup_args
        )
        with contextlib.closing(results):
            for _, finished in results:
                bar.update(cursor.rows, cursor.bytes)
                if finished:  # that task's bytes are written; later blocks would write nothing
                    break
    except BudgetTooSmall as exc:
        raise DataGenError(str(exc)) from None
    finally:
        worker.teardown()
    return cursor.rows


def _write_parquet(file, tasks, workers: int, budget: int | None, bar: Progress) -> int:
    """Workers build Arrow tables; this process writes them, one row group per block, in order."""
    sink = writers.ParquetSink(file)
    worker.setup(None, "", 0, None)
    with contextlib.closing(ordered_results(worker.run_task, tasks, workers)) as results:
        more = True
        for tables, _ in results:
            for table, _ in tables:
                more = sink.write(table, budget)
                bar.update(sink.rows, sink.bytes)
                if not more:
                    break
            if not more:
                break
    sink.close()
    return sink.rows
