"""Throughput of data_gen against DuckDB writing the same transactions CSV.

    python -m data_gen.bench_vs_duckdb --size 1GB [--dir /tmp] [--workers 2]

Both write the same columns and the same number of rows to a CSV file; each file is deleted
right after it is measured, and dirty pages are flushed (os.sync) before each run so neither
pays for the other's writeback.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from . import generate, parse_size
from .sizes import format_bytes

DUCKDB_QUERY = """
COPY (
    SELECT
        i + 1 AS transaction_id,
        1 + (random() * 9999)::BIGINT AS user_id,
        round(exp(3.5 + 1.0 * sqrt(-2 * ln(random())) * cos(2 * pi() * random())), 2)::DECIMAL(12, 2) AS amount,
        CASE WHEN random() < 0.95 THEN 'USD' WHEN random() < 0.6 THEN 'EUR' ELSE 'GBP' END AS currency,
        CASE WHEN random() < 0.90 THEN 'completed' WHEN random() < 0.5 THEN 'failed' ELSE 'pending' END AS status,
        ['north', 'south', 'east', 'west', 'central', 'overseas'][1 + (random() * 5.999)::INT] AS region,
        strftime(TIMESTAMP '2023-01-01' + to_seconds((random() * 63158399)::BIGINT), '%Y-%m-%dT%H:%M:%S') AS ts
    FROM range({rows}) t(i)
) TO '{path}' (HEADER, DELIMITER ',')
"""


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the pool workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(label: str, path: Path, run) -> float:
    """Wall-clock MB/s, plus MB per CPU-second: the fair number when other jobs share the CPUs."""
    os.sync()
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), _cpu_seconds()
    run()
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    size = path.stat().st_size
    path.unlink()
    rate = size / seconds
    print(
        f"{label:<10} {format_bytes(size):>10} in {seconds:6.2f} s  = {rate / 1e6:7.1f} MB/s"
        f"   (CPU {cpu:6.2f} s = {size / cpu / 1e6:6.1f} MB per CPU-s; load before {load:.1f})"
    )
    return rate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m data_gen.bench_vs_duckdb")
    parser.add_argument("--size", default="1GB", help="target CSV size, e.g. 1GB, 10GB")
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the files go (deleted after)")
    parser.add_argument("--workers", type=int, default=None, help="data_gen workers (default: CPU count)")
    args = parser.parse_args(argv)
    import duckdb

    size = parse_size(args.size)
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    ours = directory / "bench_data_gen.csv"
    theirs = directory / "bench_duckdb.csv"
    rows = {}

    def run_data_gen():
        rows["n"] = generate("transactions", ours, size=size, workers=args.workers, progress=False).rows

    print(f"transactions CSV, {format_bytes(size)}, {os.cpu_count()} CPUs, files in {directory}")
    ours_rate = _timed("data_gen", ours, run_data_gen)
    query = DUCKDB_QUERY.format(rows=rows["n"], path=str(theirs).replace("'", "''"))
    theirs_rate = _timed("duckdb", theirs, lambda: duckdb.connect().execute(query))
    print(f"data_gen / duckdb = {ours_rate / theirs_rate:.2f}x  ({rows['n']:,} rows each)")


if __name__ == "__main__":
    main()
