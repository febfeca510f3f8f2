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
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.stage}] {self.message}"

    def __reduce__(self):
        fields = {name: value for name, value in vars(self).items()
                  if name != "message" and not name.startswith("__")}
        return (_rebuild, (type(self), self.message, fields))


class ExtractError(PipelineError):
    stage = "extract"

    def __init__(self, message: str, *, source: str) -> None:
        super().__init__(message)
        self.source = source

    def __str__(self) -> str:
        return f"[{self.stage}] {self.source}: {self.message}"


class ValidationError(PipelineError, ValueError):
    stage = "validate"

    def __init__(self, message: str, *, record_id: Any, field: str, value: Any) -> None:
        super().__init__(message)
        self.record_id = record_id
        self.field = field
        self.value = value

    def __str__(self) -> str:
        return f"[{self.stage}] record {self.record_id}, field {self.field!r}={self.value!r}: {self.message}"


class LoadError(PipelineError):
    stage = "load"

    def __init__(self, message: str, *, table: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.table = table
        self.retryable = retryable

    def __str__(self) -> str:
        suffix = " (retryable)" if self.retryable else ""
        return f"[{self.stage}] table {self.table}: {self.message}{suffix}"


def _rebuild(cls: type, message: str, fields: dict[str, Any]) -> PipelineError:
    """Unpickling helper: pickle can only pass positional arguments, so spread the keywords here."""
    return cls(message, **fields)


def read_source(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ExtractError("cannot read", source=str(path)) from exc


def validate_record(record: dict[str, Any]) -> dict[str, Any]:
    record_id = record.get("id")
    try:
        raw = record["amount"]
    except KeyError as exc:
        raise ValidationError("missing", record_id=record_id, field="amount", value=None) from exc
    try:
        amount = Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError("not a number", record_id=record_id, field="amount", value=raw) from exc
    if not amount.is_finite():
        raise ValidationError("not a number", record_id=record_id, field="amount", value=raw)
    if amount < 0:
        raise ValidationError("negative", record_id=record_id, field="amount", value=raw)
    return {"id": record_id, "amount": amount}


def process(records: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[PipelineError]]:
    good: list[dict[str, Any]] = []
    errors: list[PipelineError] = []
    for record in records:
        try:
            good.append(validate_record(record))
        except PipelineError as error:
            errors.append(error)
    return good, errors


# Why
# - One base class gives callers one thing to catch; subclasses per stage carry what the handler
#   needs (record id and field for a quarantine table, retryable for a retry loop), so nobody has
#   to parse messages. Keep str() for humans and attributes for code.
# - `raise NewError(...) from exc` sets __cause__: the log shows both tracebacks joined by "The
#   above exception was the direct cause". Without `from`, Python still sets __context__ ("During
#   handling ... another exception occurred"), which reads like a bug in the handler.
# - Raising the "negative" error outside any except block leaves both __cause__ and __context__
#   empty: there is no underlying error to report.
# - Catch narrowly: `except PipelineError` in process() keeps bad data flowing to the error list,
#   while a TypeError (a bug) still crashes loudly. `except Exception` would hide bugs as bad data.
# - BaseException.__reduce__ replays self.args positionally; keyword-only fields then fail on
#   unpickling, which only shows up once errors cross a process boundary (multiprocessing, Spark).
