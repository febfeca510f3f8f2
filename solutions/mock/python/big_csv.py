"""Group a CSV by a key whose distinct values do not fit in memory: hash partitions spilled to disk.

This is the interviewer's next step after "how would you read a 10 GB CSV without loading it all?"
(day1.data.large_files answers that one: stream the rows, keep one small dict of groups). "Now
group by user_id, and there are 500 million users." The dict of groups is now what does not fit.
The answer databases and Spark use (a spilling hash aggregate, a shuffle): send every record to one
of P partition files by a hash of its key, so all records of one key land in the same file, then
aggregate the files one at a time. Memory holds one partition's groups, never all of them.

    group_sum_csv("payments.csv", "totals.csv", key="user_id", value="cents",
                  partition_bytes=64 * 2**20)     # a 10 GB file -> 160 partitions of about 64 MB
    # returns 3, the number of groups; totals.csv holds (in any order):
    #   user_id,total,count
    #   "Smith, ""J""
    #   second line",1500,2
    #   u-17,-250,1
    #   u-9,40,3

Requirements
- CSV: the csv module's default dialect, for the input and every file written. A quoted field may
  hold commas, quotes and line breaks, and a key must come out exactly as it went in: "\\n",
  "\\r\\n" and a lone "\\r" inside a key included. The first record is the header; a blank line
  is skipped (as csv.DictReader does).
- `partition_csv(src, key, value, folder, partitions)` writes exactly `partitions` files into
  `folder` (each one even if it stays empty) and returns their paths in partition order. Each is
  a CSV without a header holding (key, value) records in the input's order; a record goes to
  partition `zlib.crc32(key.encode("utf-8")) % partitions` (a stable hash: Python's hash() of a
  str changes from one process to the next). The value is written as str(int(text)), so a value
  int() rejects raises ValueError. A `key` or `value` column missing from the header (an empty
  file has none) raises ValueError naming it.
- `group_sum_csv(src, dst, key, value, *, partition_bytes, tmp_dir=None)` writes `dst`: a CSV
  with the header (key, "total", "count"), then one record per distinct key with the sum of its
  values and its number of records, groups in any order. It returns the number of groups; a
  header-only `src` gives a header-only `dst` and 0.
- How: it calls this module's `partition_csv` (the tests watch that call) with
  partitions = max(1, ceil(size of src in bytes / partition_bytes)), then reads the partitions
  back ONE AT A TIME, with a dict for that partition's keys only, appending its groups to dst.
- Memory: the tracemalloc peak depends on partition_bytes (one partition's groups) and on the
  number of partitions (each open file buffers some text), not on the number of distinct keys.
  The test runs two 40,000-record files (1.6 MB) at partition_bytes=128 KiB, one with 1,000 keys
  and one with 40,000: the peak must stay under 3 MiB on both, and grow between them by less than
  a quarter of what one dict of every key grows by (about 7 MiB).
- Temporary files go into a new folder made inside `tmp_dir` (default: the system's temporary
  folder), and that folder is removed when group_sum_csv returns AND when it raises: the test
  makes a value fail late in the file, and makes dst's folder not exist.
"""
from __future__ import annotations

import contextlib
import csv
import math
import os
import tempfile
import zlib
from pathlib import Path

DEFAULT_PARTITION_BYTES = 64 * 2**20


def partition_of(key: str, partitions: int) -> int:
    """A stable hash: the same key goes to the same partition in every process, every run."""
    return zlib.crc32(key.encode("utf-8")) % partitions


def _column_positions(header: list[str], key: str, value: str) -> tuple[int, int]:
    for name in (key, value):
        if name not in header:
            raise ValueError(f"column {name!r} is not in the header {header}")
    return header.index(key), header.index(value)


def partition_csv(src: str | Path, key: str, value: str, folder: str | Path, partitions: int) -> list[Path]:
    """Route every (key, value) record of src to the partition file its key hashes to."""
    if partitions < 1:
        raise ValueError(f"partitions must be at least 1, got {partitions}")
    paths = [Path(folder) / f"part-{number:05d}.csv" for number in range(partitions)]
    with open(src, newline="", encoding="utf-8") as source, contextlib.ExitStack() as files:
        records = csv.reader(source)
        key_at, value_at = _column_positions(next(records, []), key, value)
        writers = [csv.writer(files.enter_context(open(path, "w", newline="", encoding="utf-8")))
                   for path in paths]
        for record in records:
            if record:                                    # a blank line reads as []
                writers[partition_of(record[key_at], partitions)].writerow((record[key_at], int(record[value_at])))
    return paths


def _aggregate_one_partition(path: Path) -> dict[str, list[int]]:
    """key -> [total, count] for the keys of one partition: the only dict alive at a time."""
    groups: dict[str, list[int]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for group_key, amount in csv.reader(f):
            entry = groups.get(group_key)
            if entry is None:
                groups[group_key] = [int(amount), 1]
            else:
                entry[0] += int(amount)
                entry[1] += 1
    return groups


def group_sum_csv(src: str | Path, dst: str | Path, key: str, value: str, *,
                  partition_bytes: int = DEFAULT_PARTITION_BYTES, tmp_dir: str | Path | None = None) -> int:
    """Sum and count `value` per `key` into dst, holding one partition's groups at a time."""
    if partition_bytes < 1:
        raise ValueError(f"partition_bytes must be at least 1, got {partition_bytes}")
    partitions = max(1, math.ceil(os.path.getsize(src) / partition_bytes))
    with tempfile.TemporaryDirectory(prefix="group-sum-", dir=tmp_dir) as folder:   # removed on error too
        paths = partition_csv(src, key, value, folder, partitions)
        written = 0
        with open(dst, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow((key, "total", "count"))
            for path in paths:
                groups = _aggregate_one_partition(path)
                writer.writerows((group_key, total, count) for group_key, (total, count) in groups.items())
                written += len(groups)
                path.unlink()                                 # give the disk back as we go
    return written


# Why
# - Cost: two passes over the data, both sequential: read src once, write ~(key, value) bytes to
#   P files, read them back once. Time O(n); memory O(P write buffers + one partition's groups),
#   where a partition holds about partition_bytes of records, whatever the number of keys.
# - The number of partitions comes from the input size, an upper bound on the distinct keys that
#   costs nothing to know. With a known key count, P = keys x bytes per group / memory budget.
#   A skewed key (one user with half the rows) makes one partition long but not wide: its dict
#   still holds few keys, so the hot key is not a memory problem for a SUM (it would be for a
#   join or a sort). A partition that is still too wide is split again with a different hash seed
#   (recursive partitioning), which is what a database does when its estimate was wrong.
# - crc32, not hash(): str hashes are salted per process (PYTHONHASHSEED), so a restarted or
#   multi-process job would send a key to a different partition. Any stable hash will do.
# - csv module everywhere with newline="": the partition files are CSV too, so a key holding a
#   comma or a line break survives the round trip; without newline="" a "\r" inside a key turns
#   into "\n" on the way back.
# - TemporaryDirectory is the cleanup: its exit removes the folder whether the body returned or
#   raised. Unlinking each partition once aggregated keeps the disk peak near one copy of the data.
# - In the interview: "this is a GROUP BY that spills: Spark's shuffle, PostgreSQL's hash aggregate
#   spilling to disk, DuckDB's out-of-core aggregate do the same, so for a real job I would use
#   DuckDB or Spark and say why; the partitions are also the unit of parallelism (one process per
#   partition) and of restart (a crashed run keeps the partitions it finished)."
