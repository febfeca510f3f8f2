"""Polymorphism and inheritance: record transforms with cooperative super() and a mixin.

Interviewers ask for this to see whether you know what `super()` really calls (the next class in
the MRO, not "the parent"), how mixins plug into a hierarchy, and why isinstance checks must go
from the most specific type to the most general.

    step = AuditedRenameAndCast(mapping={"amt": "amount"}, types={"amt": int}, audit_log=[])
    step.apply({"amt": "42"})     # {"amount": 42}
    step.trace                    # ["AuditMixin", "Rename", "Cast", "Transform"]  (the MRO order)
    kind_of(True)                 # "flag", not "integer", although bool is a subclass of int

Requirements
- Every `__init__` takes keyword-only arguments, keeps its own and passes the rest on with
  `super().__init__(**kwargs)`, so each `__init__` in the MRO runs exactly once. An unknown keyword
  reaches `object.__init__` and raises TypeError.
- `Transform.__init__` sets `self.trace = []`. Every `apply(record)` first appends its own class
  name (the name of the class that defines that apply: "Transform", "Rename", ...) to
  `self.trace`, then calls `super().apply(record)` and works on what comes back. So after one call
  `trace` lists the classes in MRO order. `Transform.apply` returns a copy of the record (the input
  is never modified).
- `Rename(mapping=...)` renames keys found in the mapping; `Cast(types=...)` converts the values of
  the listed keys with the given callables. Both look at the ORIGINAL key names: in
  `RenameAndCast(Rename, Cast)` the cast runs inside the rename (Rename's super() is Cast).
- `AuditMixin(audit_log=...)` works on top of ANY Transform: its apply runs the rest of the chain,
  increments `self.count` (starting at 0) and appends `f"{type(self).__name__}: {result}"` to
  `audit_log`. `AuditedRenameAndCast(AuditMixin, RenameAndCast)` combines everything.
- `run(steps, records)`: apply each step, in order, to each record, and return the new records
  (polymorphism: `run` does not care which Transform it has).
- `kind_of(value)` dispatches with isinstance: bool -> "flag", int -> "integer", float -> "number",
  str -> "text", None -> "null", any Mapping -> "mapping", any other Sequence -> "sequence";
  anything else raises TypeError naming the type. Subclasses (OrderedDict, IntEnum, ...) land where
  their base does.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

Record = dict[str, Any]


class Transform:
    """Base of every step: copies the record. Subclasses extend apply() through super()."""

    def __init__(self, **kwargs: Any) -> None:
        raise NotImplementedError("TODO: pass kwargs on with super(), then start an empty trace")

    def apply(self, record: Record) -> Record:
        raise NotImplementedError("TODO: record 'Transform' in the trace and return a copy")


class Rename(Transform):
    def __init__(self, *, mapping: dict[str, str], **kwargs: Any) -> None:
        raise NotImplementedError("TODO: keep mapping, pass the rest on with super()")

    def apply(self, record: Record) -> Record:
        raise NotImplementedError("TODO: trace, super().apply, then rename the keys")


class Cast(Transform):
    def __init__(self, *, types: dict[str, Callable[[Any], Any]], **kwargs: Any) -> None:
        raise NotImplementedError("TODO: keep types, pass the rest on with super()")

    def apply(self, record: Record) -> Record:
        raise NotImplementedError("TODO: trace, super().apply, then convert the listed values")


class AuditMixin:
    """Counts and logs every record; mix it in front of any Transform."""

    def __init__(self, *, audit_log: list[str], **kwargs: Any) -> None:
        raise NotImplementedError("TODO: keep audit_log, start count at 0, pass the rest on")

    def apply(self, record: Record) -> Record:
        raise NotImplementedError("TODO: trace, run the rest of the chain, count and log the result")


class RenameAndCast(Rename, Cast):
    """MRO: RenameAndCast, Rename, Cast, Transform, object."""


class AuditedRenameAndCast(AuditMixin, RenameAndCast):
    """MRO: AuditedRenameAndCast, AuditMixin, RenameAndCast, Rename, Cast, Transform, object."""


def run(steps: Sequence[Transform], records: Iterable[Record]) -> list[Record]:
    raise NotImplementedError("TODO: apply every step, in order, to every record")


def kind_of(value: object) -> str:
    raise NotImplementedError("TODO: isinstance checks, most specific first")
