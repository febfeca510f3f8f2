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

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

COLUMNS = ("transaction_id", "user_id", "amount", "currency", "status", "region", "ts")
Groups = dict[tuple[str, str], tuple[int, int]]


@dataclass
class Aggregate:
    groups: Groups = field(default_factory=dict)   # (region, 'YYYY-MM') -> (total_cents, count)
    bad_lines: list[int] = field(default_factory=list)


def iter_csv_records(path: str | Path, bad_lines: list[int] | None = None) -> Iterator[dict[str, str]]:
    raise NotImplementedError("TODO: yield one dict per data line, recording lines with the wrong field count")


def iter_jsonl(path: str | Path, bad_lines: list[int] | None = None) -> Iterator[dict[str, Any]]:
    raise NotImplementedError("TODO: yield one dict per JSON line, recording lines that are not JSON objects")


def iter_parquet_batches(path: str | Path, columns: list[str] | None = None,
                         batch_size: int = 65_536) -> Iterator[pyarrow.RecordBatch]:  # noqa: F821
    raise NotImplementedError("TODO: yield pyarrow RecordBatches of at most batch_size rows")


def aggregate_csv(path: str | Path) -> Aggregate:
    raise NotImplementedError("TODO: stream the file once; sum completed amounts in cents by (region, month)")
