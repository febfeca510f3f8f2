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

from pathlib import Path

DEFAULT_PARTITION_BYTES = 64 * 2**20


def partition_csv(src: str | Path, key: str, value: str, folder: str | Path, partitions: int) -> list[Path]:
    """Route every (key, value) record of src to the partition file its key hashes to."""
    raise NotImplementedError("TODO: write `partitions` CSV files of (key, int value), by crc32(key) % partitions")


def group_sum_csv(src: str | Path, dst: str | Path, key: str, value: str, *,
                  partition_bytes: int = DEFAULT_PARTITION_BYTES, tmp_dir: str | Path | None = None) -> int:
    """Sum and count `value` per `key` into dst, holding one partition's groups at a time."""
    raise NotImplementedError("TODO: partition into a temporary folder, then aggregate one partition at a time")
