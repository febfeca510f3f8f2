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

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "run_id"}


@contextmanager
def run_context(run_id: str | None = None) -> Iterator[str]:
    token = RUN_ID.set(run_id if run_id is not None else uuid.uuid4().hex)
    try:
        yield RUN_ID.get()
    finally:
        RUN_ID.reset(token)


class RunIdFilter(logging.Filter):
    """Stamps the current run id on each record; filters nothing out."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.run_id = RUN_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "run_id": getattr(record, "run_id", RUN_ID.get()),
        }
        payload.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


class _JsonHandler(logging.StreamHandler):
    """Marks the handler get_logger owns, so a repeated call can find and replace it."""


def get_logger(name: str, level: int = logging.INFO, stream: IO[str] | None = None) -> logging.Logger:
    logger = logging.getLogger(name)
    logger.setLevel(level)
    for old in [h for h in logger.handlers if isinstance(h, _JsonHandler)]:
        logger.removeHandler(old)
        old.close()
    handler = _JsonHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    if not any(isinstance(f, RunIdFilter) for f in logger.filters):
        logger.addFilter(RunIdFilter())
    return logger


# Why
# - JSON lines: one event per line, machine-parseable, extra fields become indexable columns.
#   json.dumps escapes newlines, so a multi-line message or traceback cannot split an event.
# - contextvars instead of a global or threading.local: a ContextVar is per thread AND per asyncio
#   task (each task runs in a copy of the context), and token/reset restores nesting exactly.
# - The filter sits on the LOGGER, not the handler: logger filters run once before any handler, so
#   caplog and any application handler see run_id as well.
# - Handlers are process-global state: a setup function that appends a handler on each call prints
#   every line twice after the second call (the classic notebook / test-suite bug). Find yours and
#   replace it. Libraries configure their own named loggers; only the application's entry point
#   configures the root logger (basicConfig, dictConfig).
# - Cost: json.dumps per record; use %-style arguments (log.info("%d rows", n)) so the string is
#   only built when the level is enabled.
