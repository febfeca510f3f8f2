"""Serialize safely: JSON that round-trips rich types, and a pickle loader that refuses code.

Interviewers ask this to see whether you know what JSON cannot say (dates, exact decimals, UUIDs,
your own classes), how to say it anyway without ambiguity, and why `pickle.loads` on untrusted
bytes is remote code execution.

    @dataclass
    class Trade:
        id: UUID
        at: datetime
        amount: Decimal

    text = encode(Trade(UUID(int=1), datetime(2024, 5, 1, 9, 30), Decimal("10.10")))
    # '{"__type__": "dataclass", "name": "Trade", "fields": {"id": {"__type__": "uuid", ...}, ...}}'
    decode(text, types=[Trade]) == Trade(UUID(int=1), datetime(2024, 5, 1, 9, 30), Decimal("10.10"))

    restricted_loads(pickle.dumps(Decimal("1.5")))   # Decimal('1.5')
    restricted_loads(evil_bytes)                     # pickle.UnpicklingError, and nothing ran

Requirements: `encode(obj) -> str` and `decode(text, types=()) -> object`
- `decode(encode(x)) == x`, with the same types all the way down, for: None, bool, int, float,
  str, list, tuple, dict with str keys, datetime, date, Decimal, UUID, and dataclass instances
  (nested in any of these, and holding any of these).
- A value JSON has no type for is written as a tagged object `{"__type__": <tag>, ...}`:
  - datetime keeps microseconds and its UTC offset (naive stays naive, aware stays aware with the
    same offset); a datetime is never confused with a date (datetime is a subclass of date!);
  - Decimal keeps every digit: `Decimal("0.1")` comes back as `Decimal("0.1")` (not the float 0.1),
    and `Decimal("1.10")` keeps its trailing zero;
  - a tuple comes back as a tuple, not a list;
  - a dataclass is written with its class name and its fields; `decode` rebuilds it only if its
    class is among `types`, and raises ValueError naming the class otherwise (never import a
    class because the data said so).
- A plain dict that happens to have a "__type__" key round-trips as that plain dict.
- `encode` raises TypeError for anything else (a set, bytes, a dict with a non-str key) and
  ValueError for a NaN or infinite float (they are not JSON).
- `decode` raises ValueError for an unknown tag.

Requirements: `restricted_loads(data: bytes) -> object`
- Unpickles through `RestrictedUnpickler`, whose `find_class(module, name)` returns a class only
  if `(module, name)` is in SAFE_CLASSES; anything else raises pickle.UnpicklingError naming
  `module.name`. So datetime, date, timedelta, timezone, Decimal, UUID, set, frozenset and plain
  containers load at every protocol from 3 up, while a pickle whose `__reduce__` calls
  `os.system`, `eval`, or any other function is refused BEFORE anything is called.
"""
from __future__ import annotations

import pickle
from typing import Any, Iterable

TAG = "__type__"

SAFE_CLASSES: frozenset[tuple[str, str]] = frozenset({
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"),
    ("decimal", "Decimal"), ("uuid", "UUID"), ("collections", "OrderedDict"),
})


def encode(obj: Any) -> str:
    raise NotImplementedError("TODO: turn obj into plain JSON values (tag what JSON cannot say), then json.dumps")


def decode(text: str, types: Iterable[type] = ()) -> Any:
    raise NotImplementedError("TODO: json.loads, then rebuild tagged values top-down")


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler that resolves only allow-listed classes; every other global is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise NotImplementedError("TODO: return the class only if (module, name) is in SAFE_CLASSES")


def restricted_loads(data: bytes) -> Any:
    raise NotImplementedError("TODO: unpickle data with RestrictedUnpickler")
