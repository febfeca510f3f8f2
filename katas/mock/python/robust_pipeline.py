"""A file-processing pipeline that never loses a record: dead letters, retries, a checkpoint, a summary.

Interviewers ask "how do you design a robust error-handling mechanism for a file-processing
pipeline?" to hear more than try/except: which errors are the record's fault (dead-letter it and go
on), which are the world's fault (retry with backoff), which must stop the run (a crash), and how a
rerun after a crash continues without skipping or duplicating anything.

    source.jsonl                       run_pipeline(source, out_dir, enrich, checkpoint_every=2)
      {"id": 1, "amount": 5}      ->   out_dir/output.jsonl       {"id": 1, "amount": 5, "vat": 1.0}
      {"id": 2, "amount": "x"}    ->   out_dir/dead_letter.jsonl  {"line": 2, "reason": "ValueError: ...",
      not json                                                      "raw": "{\\"id\\": 2, ...}"}
                                                                   {"line": 3, "reason": "invalid JSON: ...",
                                                                    "raw": "not json"}
                                       out_dir/checkpoint.json    where a rerun starts
    # RunSummary(lines_read=3, written=1, dead_lettered=2, skipped_blank=0, retries=0, resumed_from=1)

Requirements: run_pipeline(source, out_dir, transform, *, retries=3, base_delay=0.1,
max_delay=5.0, checkpoint_every=100, sleep=time.sleep) -> RunSummary
- `source` is a JSON-lines file, read line by line (never whole). Line numbers start at 1 and count
  every physical line. A line may end in "\\n", "\\r\\n" or nothing (the last one). A blank line (only
  whitespace) is skipped and counted in `skipped_blank`.
- Every other line ends in exactly one place: its `transform(record)` result as one JSON line in
  OUTPUT, or one JSON object {"line": N, "reason": str, "raw": the line's text} in DEAD_LETTER,
  both files in input order. Dead-letter reasons:
    a line that is not UTF-8          "not UTF-8: ..."  (`raw` decoded with errors="backslashreplace")
    not valid JSON                    "invalid JSON: ..."
    valid JSON but not an object      "not a JSON object: <type name>"
    transform raised an Exception     "<ExceptionType>: <message>"   (a permanent error: tried once)
    TransientError on every attempt   "gave up after <n> attempts: TransientError: <message>"
- A TransientError from `transform` is retried: at most `retries` extra attempts, and before extra
  attempt k (k = 0, 1, ...) call `sleep(min(base_delay * 2**k, max_delay))`. No sleep after the
  last attempt, none for a permanent error. `summary.retries` counts the extra attempts.
- Anything that is not an Exception (KeyboardInterrupt, SystemExit, a crash) is not the record's
  fault: it is never dead-lettered, it stops the run and propagates.
- Commits. After every line whose number is a multiple of `checkpoint_every`, and at the end of the
  file, commit: flush and fsync OUTPUT and DEAD_LETTER, then replace CHECKPOINT atomically (write
  a temporary file, fsync, os.replace) with JSON holding the input byte offset and line number
  reached, and the byte sizes of OUTPUT and DEAD_LETTER at that moment.
- Resuming. A run first reads CHECKPOINT (none: start from the beginning with both files empty),
  cuts OUTPUT and DEAD_LETTER back to the committed sizes (whatever an interrupted run wrote after
  its last commit is dropped), and continues at the committed offset. So a crash anywhere, even a
  hard kill that skips every `finally`, followed by a rerun, gives exactly the files of one clean
  run, and the rerun calls `transform` only for lines after the last commit. A rerun of a finished
  file reads nothing and changes nothing.
- RunSummary counts this run only: `lines_read` = written + dead_lettered + skipped_blank, and
  `resumed_from` is the first line number this run looked at (1 on a fresh start).
- retries < 0, checkpoint_every < 1, base_delay < 0 or max_delay < 0 raise ValueError.
"""
from __future__ import annotations

import json  # noqa: F401 - you will need these two
import os  # noqa: F401
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUTPUT = "output.jsonl"
DEAD_LETTER = "dead_letter.jsonl"
CHECKPOINT = "checkpoint.json"


class TransientError(Exception):
    """A failure that may go away on its own (a timeout, a throttled API): worth a retry."""


@dataclass(frozen=True)
class RunSummary:
    lines_read: int
    written: int
    dead_lettered: int
    skipped_blank: int
    retries: int
    resumed_from: int


def run_pipeline(source: Path, out_dir: Path, transform: Callable[[dict], Any], *, retries: int = 3,
                 base_delay: float = 0.1, max_delay: float = 5.0, checkpoint_every: int = 100,
                 sleep: Callable[[float], None] = time.sleep) -> RunSummary:
    raise NotImplementedError("TODO: resume from the checkpoint, route each line to output or dead letter, commit")
