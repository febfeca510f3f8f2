"""Logging best practices: JSON lines, a run id from contextvars, and setup that is safe to repeat.

Interviewers ask what "good logging" means in a data pipeline. They listen for: structured (JSON)
lines a log platform can index, a correlation id (here a run id) on every line without passing it
through every function, no duplicate lines when setup runs twice, and a library that does not
touch the root logger (that belongs to the application).

    log = get_logger("etl.load")
    with run_context("run-42"):
        log.info("loaded %d rows", 3, extra={"table": "sales"})
    # {"ts": "2024-05-01T12:00:00.000+00:00", "level": "INFO", "logger": "etl.load",
    #  "message": "loaded 3 rows", "run_id": "run-42", "table": "sales"}

Requirements
- `RUN_ID` is a ContextVar (default None). `run_context(run_id=None)` is a context manager that
  sets it (to a new uuid4 hex string when run_id is None), yields the id and restores the previous
  value on exit, so contexts nest. Each thread and each asyncio task sees its own value.
- `RunIdFilter` is a logging.Filter that sets `record.run_id` from RUN_ID and keeps every record.
- `JsonFormatter.format(record)` returns ONE line of valid JSON (newlines in the message are
  escaped) with keys: "ts" (record.created as ISO 8601 in UTC, with offset), "level", "logger",
  "message" (the %-formatted message), "run_id" (record.run_id if set, else RUN_ID's value), every
  `extra=` field, and "exc_info" (the formatted traceback) only when the record carries one.
  Values JSON cannot encode are written with str().
- `get_logger(name, level=logging.INFO, stream=None)` returns `logging.getLogger(name)` with its
  level set, ONE StreamHandler (to `stream`, default sys.stderr at call time) using JsonFormatter,
  and one RunIdFilter on the logger (so records carry run_id for every handler, caplog included).
  Calling it again for the same name never adds a second handler or filter: the new call's stream
  replaces the old handler. Propagation is left on, so application handlers still see records.
- The root logger is never touched: same handlers and level before and after (no basicConfig).
"""
from __future__ import annotations

import json
import logging
import sys
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import IO, Iterator

RUN_ID: ContextVar[str | None] = ContextVar("run_id", default=None)


@contextmanager
def run_context(run_id: str | None = None) -> Iterator[str]:
    raise NotImplementedError("TODO: set RUN_ID, yield it, restore the previous value on exit")


class RunIdFilter(logging.Filter):
    """Stamps the current run id on each record; filters nothing out."""

    def filter(self, record: logging.LogRecord) -> bool:
        raise NotImplementedError("TODO: set record.run_id from RUN_ID and keep the record")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        raise NotImplementedError("TODO: build the dict (ts, level, logger, message, run_id, extras) and dump it")


def get_logger(name: str, level: int = logging.INFO, stream: IO[str] | None = None) -> logging.Logger:
    raise NotImplementedError("TODO: one JSON handler and one RunIdFilter on the named logger, never on root")
