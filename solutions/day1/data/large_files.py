"""Large files: stream CSV, JSON lines and parquet; aggregate a CSV that does not fit in memory.

"How would you process a 10 GB CSV in Python without loading it all into memory?" is a classic.
The interviewer listens for streaming (never `f.read()` or a whole-file `pd.read_csv`), bounded
memory, what happens to a broken line in the middle of hour three, and how you would make it fast.

    agg = aggregate_csv("transactions.csv")
    agg.groups[("north", "2023-01")]   # (total_cents, count) of completed payments
    agg.bad_lines                      # [17, 4031]: 1-based line numbers of malformed lines

The transactions file (data_gen's "transactions" dataset) has a header line, then one row per line:

    transaction_id,user_id,amount,currency,status,region,ts
    1,8578,61.76,USD,completed,north,2023-01-05T12:30:40

Requirements
- `iter_csv_records(path, bad_lines=None)` is a generator of one `dict[str, str]` per data line,
  keyed by the header's names. A line whose field count differs from the header's is skipped and
  its line number appended to `bad_lines` (when a list is given). It reads lazily: the first
  record comes out before the rest of the file has been read.
- `iter_jsonl(path, bad_lines=None)` is a generator of one dict per line of a JSON-lines file.
  A line that is not valid JSON, or is JSON but not an object, is skipped and its line number
  appended to `bad_lines`; a blank line is skipped silently. Also lazy.
- `iter_parquet_batches(path, columns=None, batch_size=65_536)` yields `pyarrow.RecordBatch`es of
  at most `batch_size` rows holding only `columns` (all columns when None), without reading the
  whole file first.
- `aggregate_csv(path) -> Aggregate`: for every well-formed line whose status is exactly
  "completed", add its amount (in integer cents) to the group (region, month), month being the
  first 7 characters of ts ('YYYY-MM', the time as written, no time zone conversion).
  `Aggregate.groups` maps (region, month) -> (total_cents, count) and has no empty groups;
  `Aggregate.bad_lines` lists the malformed lines' 1-based numbers (the header is line 1), in
  file order. Malformed lines of any status are reported; they never stop the run.
- A line is malformed when it does not split into exactly 7 comma-separated fields (a blank
  line has 1), or its amount is not `-?[0-9]{1,8}\\.[0-9]{2}` (so "abc", "", "12.5", "1e3" and
  "NaN" are malformed), or its ts is not `YYYY-MM-DDTHH:MM:SS` naming a real date-time (month
  01-12, a day that exists in that month, hour 00-23, minute and second 00-59). No quoting: a
  field is the raw text between commas. Lines end with "\\n"; the last one may lack it.
- Memory: aggregate_csv streams. Its peak memory must not grow with the file: the test runs it
  in a subprocess on a file several times larger than the allowed growth.
- Exact: amounts are summed as integer cents, never floats.
"""
from __future__ import annotations

import csv
import functools
import json
import multiprocessing
import os
import queue as queues
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

COLUMNS = ("transaction_id", "user_id", "amount", "currency", "status", "region", "ts")
Groups = dict[tuple[str, str], tuple[int, int]]


@dataclass
class Aggregate:
    groups: Groups = field(default_factory=dict)   # (region, 'YYYY-MM') -> (total_cents, count)
    bad_lines: list[int] = field(default_factory=list)


def iter_csv_records(path: str | Path, bad_lines: list[int] | None = None) -> Iterator[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            return
        for fields in reader:
            if len(fields) != len(header):
                if bad_lines is not None:
                    bad_lines.append(reader.line_num)
                continue
            yield dict(zip(header, fields))


def iter_jsonl(path: str | Path, bad_lines: list[int] | None = None) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            if not isinstance(record, dict):
                if bad_lines is not None:
                    bad_lines.append(number)
                continue
            yield record


def iter_parquet_batches(path: str | Path, columns: list[str] | None = None,
                         batch_size: int = 65_536) -> Iterator[pyarrow.RecordBatch]:  # noqa: F821
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        yield from parquet.iter_batches(batch_size=batch_size, columns=columns)


# -- the exact, slow path: one line at a time (rung 1 of the ladder, and the fallback) -----------

_AMOUNT = re.compile(r"-?[0-9]{1,8}\.[0-9]{2}")
_TS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")


def _parse(fields: list[str]) -> tuple[str, str, int, bool] | None:
    """(region, month, cents, completed) of a well-formed line, None for a malformed one."""
    if len(fields) != len(COLUMNS):
        return None
    amount, status, region, ts = fields[2], fields[4], fields[5], fields[6]
    if not _AMOUNT.fullmatch(amount) or not _TS.fullmatch(ts):
        return None
    try:
        datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    return region, ts[:7], int(amount.replace(".", "")), status == "completed"


def _add(groups: dict, key, cents: int, count: int = 1) -> None:
    total, n = groups.get(key, (0, 0))
    groups[key] = (total + cents, n + count)


def ladder_csv_module(path: str | Path) -> Aggregate:
    """Rung 1: the csv module, one row at a time. Exact, tiny memory, slow (pure Python per row)."""
    agg = Aggregate()
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, quoting=csv.QUOTE_NONE)
        next(reader, None)
        for fields in reader:
            parsed = _parse(fields)
            if parsed is None:
                agg.bad_lines.append(reader.line_num)
            elif parsed[3]:
                _add(agg.groups, parsed[:2], parsed[2])
    return agg


# -- rungs 2-5: libraries. They assume a clean file (no bad-line numbers) and return the groups --

def ladder_pandas_chunks(path: str | Path, chunksize: int = 100_000) -> Groups:
    """Rung 2: pandas in chunks: C parser, but every value becomes a Python string object."""
    import pandas as pd

    groups: Groups = {}
    chunks = pd.read_csv(path, usecols=["amount", "status", "region", "ts"], dtype=str, chunksize=chunksize)
    for chunk in chunks:
        done = chunk[chunk["status"] == "completed"]
        cents = done["amount"].str.replace(".", "", regex=False).astype("int64")
        frame = pd.DataFrame({"region": done["region"], "month": done["ts"].str[:7], "cents": cents})
        for (region, month), row in frame.groupby(["region", "month"])["cents"].agg(["sum", "count"]).iterrows():
            _add(groups, (region, month), int(row["sum"]), int(row["count"]))
    return groups


def ladder_pyarrow_stream(path: str | Path, block_size: int = 16 << 20) -> Groups:
    """Rung 3: pyarrow's streaming CSV reader, one record batch at a time, Arrow compute kernels."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    wanted = ["amount", "status", "region", "ts"]
    reader = pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=block_size),
                           convert_options=pcsv.ConvertOptions(include_columns=wanted,
                                                               column_types={c: pa.string() for c in wanted}))
    groups: Groups = {}
    for batch in reader:
        done = batch.filter(pc.equal(batch["status"], "completed"))
        table = pa.table({"region": done["region"], "month": pc.utf8_slice_codeunits(done["ts"], 0, 7),
                          "cents": pc.cast(pc.replace_substring(done["amount"], ".", ""), pa.int64())})
        summary = table.group_by(["region", "month"]).aggregate([("cents", "sum"), ("cents", "count")])
        for region, month, total, count in zip(*(summary[c].to_pylist() for c in
                                                 ("region", "month", "cents_sum", "cents_count"))):
            _add(groups, (region, month), total, count)
    return groups


_SQL = """
    SELECT region, substr(ts, 1, 7) AS month,
           sum(CAST(replace(amount, '.', '') AS BIGINT)) AS cents, count(*) AS n
    FROM read_csv(?, header = true, all_varchar = true)
    WHERE status = 'completed'
    GROUP BY ALL
"""


def ladder_duckdb(path: str | Path, threads: int = 2, memory_limit: str = "200MB") -> Groups:
    """Rung 4: DuckDB: a parallel streaming CSV scan feeding a hash aggregate, memory capped."""
    import duckdb

    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
    try:
        rows = con.execute(_SQL, [str(path)]).fetchall()
    finally:
        con.close()
    return {(region, month): (int(cents), int(n)) for region, month, cents, n in rows}


def ladder_polars(path: str | Path) -> Groups:
    """Rung 5: polars lazy scan with the streaming engine: parallel parser, projection pushdown."""
    import polars as pl

    result = (
        pl.scan_csv(path, infer_schema=False)
        .filter(pl.col("status") == "completed")
        .group_by(pl.col("region"), pl.col("ts").str.slice(0, 7).alias("month"))
        .agg(pl.col("amount").str.replace(".", "", literal=True).cast(pl.Int64).sum().alias("cents"),
             pl.len().alias("n"))
        .collect(engine="streaming")
    )
    return {(r, m): (int(c), int(n)) for r, m, c, n in result.iter_rows()}


# -- rung 6: byte blocks split at newlines, parsed with numpy, in one process per core ------------

BLOCK = 4 << 20        # bytes per block: the unit of memory and of work
WORKERS = 2
_COMPLETED = int.from_bytes(b"complete", "little")
_COL = np.arange(16)
_POW = 10 ** np.arange(12, -1, -1, dtype=np.int32)                    # column j <= 12 is worth 10**(12-j)
_TS_COLS = [*range(16), 21, 22, 23]                                   # words at s, s+8, s+11 -> 19 bytes
_TS_LO = np.frombuffer(b"0000-00-00T00:00:00", np.uint8)
_TS_HI = np.frombuffer(b"9999-19-39T29:59:59", np.uint8)
_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0], dtype=np.int64)


def _words(a: np.ndarray) -> np.ndarray:
    """W[p] = the 8 bytes starting at byte p as a little-endian uint64: one gather reads 8 bytes."""
    return np.ndarray(shape=(len(a) - 7,), dtype="<u8", buffer=a, strides=(1,))


def _byte(word: np.ndarray, k: int) -> np.ndarray:
    return ((word >> np.uint64(8 * k)) & np.uint64(0xFF)).astype(np.int64)


def _scan_block(buf: memoryview, state: dict) -> tuple[int, list[int]] | None:
    """Add one block (whole lines, ending in \\n) to state["groups"]; return (lines, bad offsets).

    None means "this block needs the slow path" (a region longer than 8 bytes)."""
    a = np.frombuffer(buf, dtype=np.uint8)
    delims = np.flatnonzero((a == 44) | (a == 10))          # every ',' and '\n' in one pass
    is_nl = a[delims] == 10
    n_lines = int(is_nl.sum())
    if len(delims) == 7 * n_lines and is_nl[6::7].all():
        rows = np.arange(n_lines)                            # the common case: 6 commas per line
        d = delims.reshape(n_lines, 7)
    else:                                                    # some lines have a wrong field count
        line_of = np.cumsum(is_nl) - is_nl
        commas = np.bincount(line_of[~is_nl], minlength=n_lines)
        rows = np.flatnonzero(commas == 6)
        d = delims[np.isin(line_of, rows)].reshape(len(rows), 7)
    W = _words(np.concatenate([np.zeros(16, np.uint8), a, np.zeros(24, np.uint8)]))
    W = W[16:]                                               # W[p] for p >= -16 is safe
    # amount: field 3, right-aligned "-?d{1,8}.dd": the 16 bytes that end where the field ends
    end, first = d[:, 2], d[:, 1] + 1
    length = end - first
    neg = a[first] == 45
    ndig = length - 3 - neg
    A = np.stack([W[end - 16], W[end - 8]], axis=1).view(np.uint8)      # (rows, 16) bytes
    D = A - np.uint8(48)                                                 # a digit becomes 0..9
    integer = (_COL >= (13 - ndig)[:, None]) & (_COL <= 12)              # the integer digits
    ok = (ndig >= 1) & (ndig <= 8) & (A[:, 13] == 46) & (D[:, 14] <= 9) & (D[:, 15] <= 9)
    ok &= ((D <= 9) | ~integer).all(axis=1)
    whole = (np.where(integer, D, 0)[:, :13].astype(np.int32) @ _POW).astype(np.int64)
    cents = (whole * 100 + D[:, 14] * 10 + D[:, 15]) * np.where(neg, -1, 1)
    # ts: field 7, exactly 19 bytes, each within its range; then the calendar checks
    s = d[:, 5] + 1
    T = np.stack([W[s], W[s + 8], W[s + 11]], axis=1).view(np.uint8)[:, _TS_COLS]   # (rows, 19)
    ok &= ((d[:, 6] - s) == 19) & ((T >= _TS_LO) & (T <= _TS_HI)).all(axis=1)
    N = T.astype(np.int16) - 48
    year = N[:, 0] * 1000 + N[:, 1] * 100 + N[:, 2] * 10 + N[:, 3]
    month, day, hour = N[:, 5] * 10 + N[:, 6], N[:, 8] * 10 + N[:, 9], N[:, 11] * 10 + N[:, 12]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last_day = _DAYS[np.clip(month, 0, 15)] + (leap & (month == 2))
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= last_day) & (hour <= 23)
    # status == "completed" and region (field 6, up to 8 bytes) as one uint64 key
    status_len = d[:, 4] - d[:, 3] - 1
    use = ok & (status_len == 9) & (W[d[:, 3] + 1] == _COMPLETED) & (a[d[:, 3] + 9] == 100)
    region_len = d[:, 5] - d[:, 4] - 1
    if (region_len[use] > 8).any():
        return None
    keep = np.uint64(1) << (np.minimum(region_len, 7) * 8).astype(np.uint64)
    mask = np.where(region_len >= 8, np.uint64(0xFFFFFFFFFFFFFFFF), keep - np.uint64(1))
    region = W[d[:, 4] + 1] & mask
    _group(state, region[use], (year.astype(np.int64) * 12 + month - 1)[use], cents[use])
    bad = np.flatnonzero(np.isin(np.arange(n_lines), rows[ok], invert=True))
    return n_lines, bad.tolist()


def _group(state: dict, region: np.ndarray, month_index: np.ndarray, cents: np.ndarray) -> None:
    """Sum cents per (region, month) with bincount: codes for the few regions, offsets for months."""
    if len(cents) == 0:
        return
    known = np.unique(region)
    code = np.searchsorted(known, region)
    low, span = int(month_index.min()), int(month_index.max() - month_index.min()) + 1
    cell = code * span + (month_index - low)
    size = len(known) * span
    count = np.bincount(cell, minlength=size)
    high_part, low_part = np.divmod(cents, 1 << 20)          # two exact float64 sums, not one lossy one
    total = (np.rint(np.bincount(cell, weights=high_part, minlength=size)).astype(np.int64) << 20) \
        + np.rint(np.bincount(cell, weights=low_part, minlength=size)).astype(np.int64)
    groups = state["groups"]
    for c in np.flatnonzero(count):
        key = (int(known[c // span]), low + int(c % span))
        old = groups.get(key, (0, 0))
        groups[key] = (old[0] + int(total[c]), old[1] + int(count[c]))


def _slow_block(data: bytes, state: dict) -> tuple[int, list[int]]:
    """The exact per-line path for a block the vectorised parser declines."""
    lines = data.decode("utf-8").split("\n")[:-1]
    bad = []
    for offset, line in enumerate(lines):
        parsed = _parse(line.split(","))
        if parsed is None:
            bad.append(offset)
        elif parsed[3]:
            _add(state["text_groups"], parsed[:2], parsed[2])
    return len(lines), bad


def _scan_blocks(path: str, bounds: list[tuple[int, int]]) -> tuple[dict, dict, list[tuple[int, list[int]]]]:
    """Read and scan the given byte ranges with one reused buffer; memory is about 10 x BLOCK."""
    state: dict = {"groups": {}, "text_groups": {}}
    per_block = []
    buffer = bytearray(max((e - s for s, e in bounds), default=0) + 1)
    with open(path, "rb", buffering=0) as f:
        for start, end in bounds:
            size = end - start
            f.seek(start)
            view = memoryview(buffer)[:size]
            f.readinto(view)
            if buffer[size - 1] != 10:                   # the last line may lack its newline
                buffer[size] = 10
                size += 1
            result = _scan_block(memoryview(buffer)[:size], state)
            if result is None:
                result = _slow_block(bytes(buffer[:size]), state)
            per_block.append(result)
    return state["groups"], state["text_groups"], per_block


def _block_bounds(path: str, first: int, size: int, block: int = BLOCK) -> list[tuple[int, int]]:
    """Cut [first, size) into ~block byte ranges, each ending just after a newline."""
    bounds, start = [], first
    with open(path, "rb") as f:
        while start < size:
            end = start + block
            if end >= size:
                end = size
            else:
                f.seek(end)
                while True:
                    piece = f.read(1 << 16)
                    if not piece:
                        end = size
                        break
                    found = piece.find(b"\n")
                    if found >= 0:
                        end += found + 1
                        break
                    end += len(piece)
            bounds.append((start, end))
            start = end
    return bounds


def _worker(index: int, path: str, bounds: list[tuple[int, int]], queue) -> None:
    queue.put((index, _scan_blocks(path, bounds)))


# -- rung 7: one compiled pass over the bytes (numba), two threads, bounded blocks ---------------
#
# The same contract as aggregate_csv (exact cents, every malformed line numbered), but each byte is
# looked at once, in a loop numba compiles to machine code: no temporaries, no Python objects per
# row. The kernel releases the GIL (nogil), so two threads scan two blocks at once. Compiled on first
# use and cached beside this file (__pycache__), so only the very first run pays a few seconds.

COMPILED_BLOCK = 2 << 20        # bytes per block: one buffer of this size per thread
_MAX_REGIONS, _REGION_BYTES, _SLOTS = 64, 32, 256
_FIRST_YEAR, _MONTHS = 1900, 256 * 12     # rows outside these go through the exact path
_SPILL = 4096                             # bad lines / unusual rows reported per kernel call


_COMPLETED_BYTES = np.frombuffer(b"completed", dtype=np.uint8).copy()
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _digits(buf, start, n):
    value = 0
    for i in range(start, start + n):
        d = buf[i] - 48
        if d < 0 or d > 9:
            return -1
        value = value * 10 + d
    return value


def _same_bytes(buf, start, end, word):
    if end - start != len(word):
        return False
    for k in range(len(word)):
        if buf[start + k] != word[k]:
            return False
    return True


def _amount_cents(buf, start, end):
    r"""-?[0-9]{1,8}\.[0-9]{2} -> (True, cents), else (False, 0)."""
    sign = 1
    if start < end and buf[start] == 45:                            # '-'
        sign, start = -1, start + 1
    n = end - start
    if n < 4 or n > 11 or buf[end - 3] != 46:                        # '.'
        return False, 0
    whole, frac = _digits(buf, start, n - 3), _digits(buf, end - 2, 2)
    if whole < 0 or frac < 0:
        return False, 0
    return True, sign * (whole * 100 + frac)


def _month_of(buf, s, end):
    """YYYY-MM-DDTHH:MM:SS naming a real date-time -> year * 12 + month - 1, else -1."""
    if end - s != 19 or buf[s + 4] != 45 or buf[s + 7] != 45 or buf[s + 10] != 84 \
            or buf[s + 13] != 58 or buf[s + 16] != 58:
        return -1
    year, month, day = _digits(buf, s, 4), _digits(buf, s + 5, 2), _digits(buf, s + 8, 2)
    hour, minute, second = _digits(buf, s + 11, 2), _digits(buf, s + 14, 2), _digits(buf, s + 17, 2)
    if year < 1 or not 1 <= month <= 12 or day < 1 or not 0 <= hour <= 23 \
            or not 0 <= minute <= 59 or not 0 <= second <= 59:
        return -1
    last = _MONTH_DAYS[month]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return year * 12 + month - 1 if day <= last else -1


def _region_id(buf, start, end, table, names, name_len, count):
    """The region's id in this thread's table (FNV-1a hash, linear probing); -1 when it is full."""
    h = np.uint64(14695981039346656037)
    for i in range(start, end):
        h = (h ^ np.uint64(buf[i])) * np.uint64(1099511628211)
    slot = np.int64(h & np.uint64(_SLOTS - 1))
    n = end - start
    while True:
        rid = table[slot]
        if rid < 0:
            if count[0] >= _MAX_REGIONS or n > _REGION_BYTES:
                return -1
            rid = count[0]
            count[0] += 1
            table[slot] = rid
            name_len[rid] = n
            for k in range(n):
                names[rid, k] = buf[start + k]
            return rid
        if _same_bytes(buf, start, end, names[rid, :name_len[rid]]):
            return rid
        slot = np.int64((slot + 1) & (_SLOTS - 1))


def _scan_lines(buf, pos, cents, counts, table, names, name_len, count, bad, spill):
    """Whole lines from byte pos until the end, or until bad or spill is full.

    Returns (next_pos, lines, n_bad, n_spill): bad[k] = line offset from pos of a malformed line,
    spill[k] = (start, end) bytes of a completed row the fixed arrays cannot hold."""
    n, lines, n_bad, n_spill = buf.shape[0], 0, 0, 0
    starts, ends = np.empty(7, np.int64), np.empty(7, np.int64)
    while pos < n and n_bad < bad.shape[0] and n_spill < spill.shape[0]:
        field, i = 0, pos
        starts[0] = pos
        while i < n and buf[i] != 10:                                # one pass: find the commas
            if buf[i] == 44:
                if field < 6:
                    ends[field] = i
                field += 1
                if field < 7:
                    starts[field] = i + 1
            i += 1
        if field <= 6:
            ends[field] = i
        ok, amount = (False, 0) if field != 6 else _amount_cents(buf, starts[2], ends[2])
        month = _month_of(buf, starts[6], ends[6]) if ok else -1
        if month < 0:
            bad[n_bad] = lines
            n_bad += 1
        elif _same_bytes(buf, starts[4], ends[4], _COMPLETED_BYTES):
            rid = _region_id(buf, starts[5], ends[5], table, names, name_len, count)
            m = month - _FIRST_YEAR * 12
            if rid >= 0 and 0 <= m < _MONTHS:
                cents[rid, m] += amount
                counts[rid, m] += 1
            else:
                spill[n_spill, 0], spill[n_spill, 1] = pos, i
                n_spill += 1
        lines += 1
        pos = i + 1
    return pos, lines, n_bad, n_spill


_KERNEL = ("_digits", "_same_bytes", "_amount_cents", "_month_of", "_region_id", "_scan_lines")


@functools.cache
def _compile_kernel():
    """Compile the functions above with numba, once per process, and return the scanner.

    Lazy on purpose: importing numba alone costs ~150 MB of RSS, which no other rung should pay.
    Each function is replaced by its compiled version (callees first), because compiled code can
    only call compiled code; cache=True keeps the machine code beside this file for the next run.
    """
    from numba import njit

    for name in _KERNEL:
        globals()[name] = njit(nogil=True, cache=True)(globals()[name])
    return globals()["_scan_lines"]


class _ThreadTotals:
    """One scanning thread's accumulators and region table: threads never write to shared memory."""

    def __init__(self) -> None:
        self.cents = np.zeros((_MAX_REGIONS, _MONTHS), np.int64)
        self.counts = np.zeros((_MAX_REGIONS, _MONTHS), np.int64)
        self.table = np.full(_SLOTS, -1, np.int64)
        self.names = np.zeros((_MAX_REGIONS, _REGION_BYTES), np.uint8)
        self.name_len = np.zeros(_MAX_REGIONS, np.int64)
        self.count = np.zeros(1, np.int64)
        self.bad = np.empty(_SPILL, np.int64)
        self.spill = np.empty((_SPILL, 2), np.int64)
        self.exact = Aggregate()               # unusual rows, added by the exact path

    def scan(self, block) -> tuple[int, list[int]]:
        """Scan one block of whole lines (bytes-like): (lines, offsets of its malformed lines)."""
        scan_lines, buf = _compile_kernel(), np.frombuffer(block, np.uint8)
        pos, lines, bad = 0, 0, []
        while pos < len(buf):
            pos, n, n_bad, n_spill = scan_lines(buf, pos, self.cents, self.counts, self.table, self.names,
                                            self.name_len, self.count, self.bad, self.spill)
            bad.extend(lines + int(offset) for offset in self.bad[:n_bad])
            for start, end in self.spill[:n_spill]:
                region, month, cents, _ = _parse(bytes(block[start:end]).decode("utf-8").split(","))
                _add(self.exact.groups, (region, month), cents)
            lines += n
        return lines, bad

    def groups(self) -> Groups:
        found = dict(self.exact.groups)
        for rid in range(int(self.count[0])):
            region = bytes(self.names[rid, : self.name_len[rid]]).decode("utf-8")
            for m in np.flatnonzero(self.counts[rid]):
                year, month = divmod(int(m) + _FIRST_YEAR * 12, 12)
                _add(found, (region, f"{year:04d}-{month + 1:02d}"), int(self.cents[rid, m]),
                     int(self.counts[rid, m]))
        return found


def ladder_compiled(path: str | Path, threads: int = 2) -> Aggregate:
    """Rung 7: one compiled pass per block in `threads` threads; exact, every bad line numbered.

    Each thread takes the next block (cut at a newline beforehand), preads it into its own buffer
    and scans it: memory is one buffer per thread, and no byte is copied in Python."""
    _compile_kernel()                                     # compile (or load the cache) up front
    path = str(path)
    with open(path, "rb") as f:
        first = len(f.readline())                         # the header is line 1
    bounds = _block_bounds(path, first, os.path.getsize(path), COMPILED_BLOCK)
    todo, lock = iter(range(len(bounds))), threading.Lock()
    totals = [_ThreadTotals() for _ in range(threads)]
    per_block: dict[int, tuple[int, list[int]]] = {}
    failures: list[BaseException] = []

    def work(mine: _ThreadTotals) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            buffer = bytearray(COMPILED_BLOCK + (1 << 16))
            while not failures:
                with lock:
                    index = next(todo, None)
                if index is None:
                    return
                start, end = bounds[index]
                if end - start > len(buffer):             # a block that ends in a very long line
                    buffer = bytearray(end - start)
                view = memoryview(buffer)[: end - start]
                os.preadv(fd, [view], start)
                per_block[index] = mine.scan(view)
        except BaseException as exc:                      # re-raised by the caller after the join
            failures.append(exc)
        finally:
            os.close(fd)

    workers = [threading.Thread(target=work, args=(t,)) for t in totals]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]
    agg, line = Aggregate(), 2
    for index in range(len(bounds)):
        lines, offsets = per_block[index]
        agg.bad_lines.extend(line + offset for offset in offsets)
        line += lines
    for part in totals:
        for key, (cents, n) in part.groups().items():
            _add(agg.groups, key, cents, n)
    return agg


def aggregate_csv(path: str | Path) -> Aggregate:
    """Rung 6: blocks of whole lines, parsed with numpy, striped over WORKERS forked processes."""
    path = str(path)
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        first = len(f.readline())
    bounds = _block_bounds(path, first, size)
    if len(bounds) <= 2 or "fork" not in multiprocessing.get_all_start_methods():
        parts = [(_scan_blocks(path, bounds), list(range(len(bounds))))]
    else:
        ctx = multiprocessing.get_context("fork")    # the child inherits this module: nothing to pickle
        queue = ctx.Queue()
        stripes = [list(range(w, len(bounds), WORKERS)) for w in range(WORKERS)]
        procs = [ctx.Process(target=_worker, args=(w, path, [bounds[i] for i in s], queue), daemon=True)
                 for w, s in enumerate(stripes)]
        for p in procs:
            p.start()
        results: dict = {}
        while len(results) < len(procs):              # read before join: a full pipe would block
            try:
                index, result = queue.get(timeout=1)
                results[index] = result
            except queues.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError(f"aggregate_csv worker {dead[0].pid} exited with code {dead[0].exitcode}") from None
        for p in procs:
            p.join()
        parts = [(results[w], stripe) for w, stripe in enumerate(stripes)]
    agg = Aggregate()
    per_block: list[tuple[int, list[int]]] = [(0, [])] * len(bounds)
    for (groups, text_groups, blocks), stripe in parts:
        for (region, month_index), (cents, count) in groups.items():
            key = (region.to_bytes(8, "little").rstrip(b"\0").decode("utf-8"),
                   f"{month_index // 12:04d}-{month_index % 12 + 1:02d}")
            _add(agg.groups, key, cents, count)
        for key, (cents, count) in text_groups.items():
            _add(agg.groups, key, cents, count)
        for index, block in zip(stripe, blocks):
            per_block[index] = block
    line = 2                                          # the header is line 1
    for n_lines, bad in per_block:
        agg.bad_lines.extend(line + offset for offset in bad)
        line += n_lines
    return agg


# Why
# - Streaming: every reader holds one line, one JSON object or one parquet batch; aggregate_csv holds
#   one 4 MB block per worker plus its numpy temporaries (~60 MB per worker). Memory is O(block +
#   number of groups), time O(file). A malformed line costs a list entry, never the run.
# - Exactness: cents as int64 ("12.34" -> 1234 by dropping the dot); bincount sums in float64 are
#   split into two exactly representable halves (divmod by 2**20), so totals equal integer sums.
# - The ladder, each rung a function above, measured by `python tests/perf/ladder_large_files.py
#   --size 10GB` on one 10 GB data_gen file (2 cores, warm page cache, quiet machine, 2026-11-25;
#   peak RSS sums the whole process tree; every rung returned the same groups):
#
#   | rung                                   | seconds | MB/s | peak RSS MB | validates lines |
#   |----------------------------------------|---------|------|-------------|-----------------|
#   | 7 compiled single pass (numba, 2 thr.) |    13.2 |  758 |         192 | yes             |
#   | 5 polars streaming                     |    15.4 |  649 |         420 | no              |
#   | 4 DuckDB (threads=2, 200MB limit)      |    19.2 |  522 |         217 | no              |
#   | 6 numpy blocks (aggregate_csv)         |    30.5 |  328 |         168 | yes             |
#   | 3 pyarrow streaming batches            |    40.3 |  248 |         931 | no              |
#   | 2 pandas chunks (100k rows)            |   218.1 |   46 |         579 | no              |
#   | 1 csv module                           |   986.1 |   10 |          38 | yes             |
#
#   The compiled rung is the fastest and stays under 256 MB while doing MORE work than polars and
#   DuckDB (it checks every amount and timestamp and numbers the bad lines): it touches each byte
#   once, keeps no per-row objects, and the two threads never share a write. numpy blocks is
#   bounded but makes ~50 passes over temporaries per block; polars is fast but holds ~400 MB;
#   pandas and pyarrow materialise columns of Python or Arrow strings.
# - In the interview: say "stream it, bound memory by the chunk, count bad lines with numbers", then
#   climb: csv module (exact, ~10 MB, slowest) -> pandas chunks -> pyarrow batches -> an engine
#   (DuckDB/polars) that parses in parallel and projects only the 4 needed columns -> a compiled
#   single pass when the engines cannot express the validation you need. Say what bounds you: on
#   2 cores it is CSV tokenising, not disk (the file is in the page cache).
