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
        super().__init__(**kwargs)
        self.trace: list[str] = []

    def apply(self, record: Record) -> Record:
        self.trace.append("Transform")
        return dict(record)


class Rename(Transform):
    def __init__(self, *, mapping: dict[str, str], **kwargs: Any) -> None:
        self.mapping = mapping
        super().__init__(**kwargs)

    def apply(self, record: Record) -> Record:
        self.trace.append("Rename")
        record = super().apply(record)
        return {self.mapping.get(key, key): value for key, value in record.items()}


class Cast(Transform):
    def __init__(self, *, types: dict[str, Callable[[Any], Any]], **kwargs: Any) -> None:
        self.types = types
        super().__init__(**kwargs)

    def apply(self, record: Record) -> Record:
        self.trace.append("Cast")
        record = super().apply(record)
        for key, convert in self.types.items():
            if key in record:
                record[key] = convert(record[key])
        return record


class AuditMixin:
    """Counts and logs every record; mix it in front of any Transform."""

    def __init__(self, *, audit_log: list[str], **kwargs: Any) -> None:
        self.audit_log = audit_log
        self.count = 0
        super().__init__(**kwargs)

    def apply(self, record: Record) -> Record:
        self.trace.append("AuditMixin")
        result = super().apply(record)
        self.count += 1
        self.audit_log.append(f"{type(self).__name__}: {result}")
        return result


class RenameAndCast(Rename, Cast):
    """MRO: RenameAndCast, Rename, Cast, Transform, object."""


class AuditedRenameAndCast(AuditMixin, RenameAndCast):
    """MRO: AuditedRenameAndCast, AuditMixin, RenameAndCast, Rename, Cast, Transform, object."""


def run(steps: Sequence[Transform], records: Iterable[Record]) -> list[Record]:
    out = []
    for record in records:
        for step in steps:
            record = step.apply(record)
        out.append(record)
    return out


def kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "flag"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, Sequence):
        return "sequence"
    raise TypeError(f"kind_of: unsupported type {type(value).__name__}")


# Why
# - super() means "the next class in type(self).__mro__ after the one I am written in", so in
#   RenameAndCast, Rename's super() is Cast, a class Rename has never heard of. That only works if
#   every class cooperates: same method signature, **kwargs passed on, super() always called.
#   Calling Transform.__init__(self) by name skips Cast and breaks the chain.
# - The MRO (C3 linearisation) keeps children before parents and the left-to-right base order,
#   and lists each class once, so a diamond base runs once. Say "C3" and show Class.__mro__.
# - A mixin adds one behaviour, has no base of its own beyond object, and goes LEFT of the class
#   it wraps, so its method runs first and delegates through super().
# - isinstance dispatch must go from specific to general: bool before int (bool subclasses int),
#   str before Sequence (str is a Sequence). Prefer polymorphism (a method per class) when you own
#   the classes; functools.singledispatch when you don't. run() is O(steps x records).
