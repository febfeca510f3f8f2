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

import dataclasses
import io
import json
import math
import pickle
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable
from uuid import UUID

TAG = "__type__"

SAFE_CLASSES: frozenset[tuple[str, str]] = frozenset({
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "complex"),
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"),
    ("decimal", "Decimal"), ("uuid", "UUID"), ("collections", "OrderedDict"),
})


def _to_tagged(obj: Any) -> Any:
    """A tree of plain JSON values (dict, list, str, numbers, None) that says what obj was."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError(f"cannot encode {obj!r}: NaN and infinity are not JSON")
        return obj
    if isinstance(obj, datetime):                     # before date: datetime IS a date
        return {TAG: "datetime", "value": obj.isoformat()}
    if isinstance(obj, date):
        return {TAG: "date", "value": obj.isoformat()}
    if isinstance(obj, Decimal):
        return {TAG: "decimal", "value": str(obj)}    # a string keeps every digit
    if isinstance(obj, UUID):
        return {TAG: "uuid", "value": str(obj)}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = {f.name: _to_tagged(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
        return {TAG: "dataclass", "name": type(obj).__qualname__, "fields": fields}
    if isinstance(obj, tuple):
        return {TAG: "tuple", "items": [_to_tagged(item) for item in obj]}
    if isinstance(obj, list):
        return [_to_tagged(item) for item in obj]
    if isinstance(obj, dict):
        bad = [key for key in obj if not isinstance(key, str)]
        if bad:
            raise TypeError(f"cannot encode a dict with non-str key {bad[0]!r}: JSON keys are strings")
        plain = {key: _to_tagged(value) for key, value in obj.items()}
        return {TAG: "dict", "value": plain} if TAG in obj else plain
    raise TypeError(f"cannot encode {type(obj).__name__}: {obj!r}")


def encode(obj: Any) -> str:
    return json.dumps(_to_tagged(obj), allow_nan=False)


def _from_tagged(node: Any, types: dict[str, type]) -> Any:
    """Top-down, so the payload of an escaped dict is never mistaken for a tag."""
    if isinstance(node, list):
        return [_from_tagged(item, types) for item in node]
    if not isinstance(node, dict):
        return node
    if TAG not in node:
        return {key: _from_tagged(value, types) for key, value in node.items()}
    tag = node[TAG]
    if tag == "datetime":
        return datetime.fromisoformat(node["value"])
    if tag == "date":
        return date.fromisoformat(node["value"])
    if tag == "decimal":
        return Decimal(node["value"])
    if tag == "uuid":
        return UUID(node["value"])
    if tag == "tuple":
        return tuple(_from_tagged(item, types) for item in node["items"])
    if tag == "dict":
        return {key: _from_tagged(value, types) for key, value in node["value"].items()}
    if tag == "dataclass":
        cls = types.get(node["name"])
        if cls is None:
            raise ValueError(f"dataclass {node['name']!r} is not among the allowed types {sorted(types)}")
        return cls(**{key: _from_tagged(value, types) for key, value in node["fields"].items()})
    raise ValueError(f"unknown tag {tag!r}")


def decode(text: str, types: Iterable[type] = ()) -> Any:
    return _from_tagged(json.loads(text), {cls.__qualname__: cls for cls in types})


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler that resolves only allow-listed classes; every other global is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in SAFE_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load global {module}.{name}: not in SAFE_CLASSES")


def restricted_loads(data: bytes) -> Any:
    return RestrictedUnpickler(io.BytesIO(data)).load()


# Why
# - JSON has six types. Everything else needs a convention; a tag object {"__type__": ...} is the
#   usual one (bson/ejson do the same). The tag must be unambiguous, so a user dict that already
#   has the tag key is escaped, and decoding walks top-down (json's object_hook runs bottom-up and
#   would turn the escaped payload into a Decimal before the escape is seen).
# - Decimal as a string, never a float: 0.1 has no exact binary float, and money must not drift.
#   Check datetime before date: isinstance(dt, date) is True, and the time would be dropped.
# - decode takes the allowed dataclasses explicitly. Importing "module.Class" named by the data
#   is the same mistake as pickle: the input chooses what code runs.
# - pickle calls whatever callable a __reduce__ names, during load. The only safe switch is an
#   allow-list in find_class (a deny-list misses builtins.eval, getattr, operator.attrgetter,
#   subprocess, ...). Even so: never unpickle untrusted bytes; sign them (hmac) or use JSON.
# - Cost: O(size of the data) both ways; the tagged form is bigger than plain JSON, which is the
#   price of a lossless round trip. Say when you would pick msgpack, Avro or Parquet instead.
