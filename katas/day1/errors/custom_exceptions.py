"""Custom exceptions: a PipelineError hierarchy with fields, chained with `raise ... from`.

Interviewers ask "how do you design error handling for a file-processing pipeline?" They listen
for: one base class callers can catch, subclasses per stage carrying the data needed to act
(which record, which field, can it be retried), the original error kept as `__cause__`, and bugs
(TypeError, AttributeError) NOT swallowed by a broad `except Exception`.

    try:
        validate_record({"id": 7, "amount": "abc"})
    except PipelineError as error:              # catches every pipeline error
        str(error)          # "[validate] record 7, field 'amount'='abc': not a number"
        error.__cause__     # decimal.InvalidOperation(...): the original error, kept

Requirements
- `PipelineError(message)` is the base (an Exception) with `.message` and a class attribute
  `stage = "pipeline"`; `str()` is f"[{stage}] {message}".
- `ExtractError(message, *, source)`: stage "extract", `.source`; str "[extract] {source}: {message}".
- `ValidationError(message, *, record_id, field, value)`: stage "validate", those three attributes;
  str "[validate] record {record_id}, field {field!r}={value!r}: {message}". It is ALSO a ValueError,
  so older callers that catch ValueError keep working.
- `LoadError(message, *, table, retryable=False)`: stage "load", `.table`, `.retryable`;
  str "[load] table {table}: {message}", plus " (retryable)" at the end when retryable.
- Every error survives `pickle` (multiprocessing sends exceptions between processes): the
  unpickled copy has the same class, attributes and str(). Keyword-only fields break the default
  pickling of exceptions, so give the base class a `__reduce__` that rebuilds from message + fields.
- `read_source(path)` returns the file's text (UTF-8); an OSError becomes
  `ExtractError("cannot read", source=str(path))` raised FROM the OSError.
- `validate_record(record)` returns `{"id": record.get("id"), "amount": Decimal(record["amount"])}`.
  A missing "amount" raises ValidationError("missing", value=None) from the KeyError; a value that
  Decimal cannot parse raises ValidationError("not a number") from decimal.InvalidOperation;
  NaN or Infinity raises ValidationError("not a number") and a negative amount
  ValidationError("negative"), both with no cause at all (`__cause__` and `__context__` are None:
  there is no underlying error). record_id is `record.get("id")`; field is "amount"; value is the
  raw amount as given.
- `process(records)` validates every record and returns `(good, errors)`: the validated records and
  the PipelineErrors, in input order. It catches only PipelineError: anything else (a record that
  is not a dict, say) is a bug and propagates unchanged.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose."""

    stage = "pipeline"

    def __init__(self, message: str) -> None:
        raise NotImplementedError("TODO: keep message (and pass it to Exception)")

    def __str__(self) -> str:
        raise NotImplementedError("TODO: '[stage] message'")

    def __reduce__(self):
        raise NotImplementedError("TODO: rebuild from the class, the message and the other fields")


class ExtractError(PipelineError):
    stage = "extract"

    def __init__(self, message: str, *, source: str) -> None:
        raise NotImplementedError("TODO: keep source")

    def __str__(self) -> str:
        raise NotImplementedError("TODO: '[extract] source: message'")


class ValidationError(PipelineError):  # TODO: also a ValueError
    stage = "validate"

    def __init__(self, message: str, *, record_id: Any, field: str, value: Any) -> None:
        raise NotImplementedError("TODO: keep record_id, field and value")

    def __str__(self) -> str:
        raise NotImplementedError("TODO: \"[validate] record 7, field 'amount'='abc': message\"")


class LoadError(PipelineError):
    stage = "load"

    def __init__(self, message: str, *, table: str, retryable: bool = False) -> None:
        raise NotImplementedError("TODO: keep table and retryable")

    def __str__(self) -> str:
        raise NotImplementedError("TODO: '[load] table t: message', plus ' (retryable)'")


def read_source(path: str | Path) -> str:
    raise NotImplementedError("TODO: read the text; turn an OSError into ExtractError, chained")


def validate_record(record: dict[str, Any]) -> dict[str, Any]:
    raise NotImplementedError("TODO: parse amount; raise ValidationError from the original error")


def process(records: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[PipelineError]]:
    raise NotImplementedError("TODO: validate each record; collect PipelineErrors, let bugs through")
