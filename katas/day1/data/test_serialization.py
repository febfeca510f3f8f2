"""Tests for the serialization kata: run `pytest katas/day1/data/test_serialization.py`."""
from __future__ import annotations

import json
import os
import pickle
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.data.serialization import decode, encode, restricted_loads


@dataclass
class Point:
    x: int
    y: int


@dataclass(frozen=True)
class Trade:
    id: UUID
    at: datetime
    amount: Decimal
    tags: tuple[str, ...] = ()


@dataclass
class Envelope:
    payload: Any
    meta: dict = field(default_factory=dict)


TYPES = (Point, Trade, Envelope)


def same(a: Any, b: Any) -> bool:
    """Stricter than ==: same types all the way down, same Decimal digits, same UTC offsets."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, Decimal):
        return str(a) == str(b)
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    if hasattr(a, "__dataclass_fields__"):
        return all(same(getattr(a, name), getattr(b, name)) for name in a.__dataclass_fields__)
    return a == b


def round_trip(value: Any) -> Any:
    return decode(encode(value), types=TYPES)


ROUND_TRIPS = {
    "None, bools and numbers": [None, True, False, 0, -7, 2**70, 1.5, -0.0],
    "unicode text": "naïve café ✓ 日本",
    "a naive datetime keeps its microseconds": datetime(2024, 2, 29, 23, 59, 59, 123456),
    "an aware datetime keeps its offset": datetime(2024, 3, 31, 1, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    "a datetime at midnight is still a datetime, not a date": datetime(2024, 1, 1),
    "a date": date(1999, 12, 31),
    "Decimal 0.1 stays exact": Decimal("0.1"),
    "Decimal keeps a trailing zero": Decimal("1.10"),
    "Decimal with more digits than a float holds": Decimal("12345678901234567890.123456789"),
    "a UUID": UUID("12345678-1234-5678-1234-567812345678"),
    "a tuple stays a tuple": (1, "two", (3.0,)),
    "an empty list, tuple and dict": [[], (), {}],
    "a dataclass": Point(1, 2),
    "a frozen dataclass holding rich types": Trade(UUID(int=7), datetime(2024, 5, 1, 9, 30), Decimal("10.10"), ("a", "b")),
    "dataclasses nested in containers nested in a dataclass": Envelope([Point(0, 0), {"p": Point(3, 4)}], {"n": Decimal("2")}),
    "a plain dict that has a __type__ key": {"__type__": "decimal", "value": "1"},
    "a plain dict with __type__ key holding a tagged-looking dict": {"__type__": "dict", "value": {"__type__": "uuid", "value": "x"}},
}


@pytest.mark.parametrize("value", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_decode_of_encode_gives_back_the_same_value_and_types(value):
    got = round_trip(value)
    assert same(got, value), f"decode(encode({value!r})) returned {got!r}, expected the same value with the same types"


def test_encode_returns_valid_json_text():
    text = encode({"when": datetime(2024, 1, 2, 3, 4, 5), "amount": Decimal("0.1"), "id": UUID(int=1)})
    assert isinstance(text, str), f"encode(...) returned {type(text).__name__}, expected str"
    json.loads(text)  # raises if encode produced something that is not JSON


def test_decimal_is_not_written_as_a_json_number():
    parsed = json.loads(encode(Decimal("0.1")))
    assert not isinstance(parsed, (int, float)), (
        f"encode(Decimal('0.1')) wrote the JSON number {parsed!r}: a float cannot hold 0.1 exactly; write the digits as a string")


def test_a_dataclass_is_rebuilt_only_when_its_class_is_allowed():
    text = encode(Point(1, 2))
    assert decode(text, types=[Point]) == Point(1, 2)
    with pytest.raises(ValueError, match="Point"):
        decode(text, types=[Trade])
    with pytest.raises(ValueError, match="Point"):
        decode(text)


def test_an_unknown_tag_is_a_value_error():
    assert decode(encode({"a": 1})) == {"a": 1}
    with pytest.raises(ValueError, match="frobnicate"):
        decode('{"__type__": "frobnicate", "value": 1}')


UNENCODABLE = {
    "a set": ({1, 2}, TypeError),
    "bytes": (b"raw", TypeError),
    "a dict with an int key": ({1: "one"}, TypeError),
    "an object": (object(), TypeError),
    "a NaN float": (float("nan"), ValueError),
    "an infinite float inside a list": ([1.0, float("inf")], ValueError),
}


@pytest.mark.parametrize("value,error", UNENCODABLE.values(), ids=UNENCODABLE.keys())
def test_values_json_cannot_hold_are_refused(value, error):
    with pytest.raises(error):
        encode(value)


# -- hypothesis: the round trip holds for any nesting of the supported types ---------------------

offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
scalars = (
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.datetimes(timezones=st.none() | offsets) | st.dates()
    | st.decimals(allow_nan=False) | st.uuids()
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=8) | st.just("__type__"), children, max_size=4)
        | st.builds(Point, st.integers(), st.integers())
        | st.builds(Envelope, children, st.dictionaries(st.text(max_size=4), children, max_size=2))
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(values)
def test_round_trip_property(value):
    got = round_trip(value)
    assert same(got, value), f"decode(encode({value!r})) returned {got!r}"


# -- the restricted unpickler --------------------------------------------------------------------

SAFE_PICKLES = {
    "a naive datetime": datetime(2024, 1, 2, 3, 4, 5, 6),
    "an aware datetime": datetime(2024, 1, 2, tzinfo=timezone(timedelta(hours=-3))),
    "a date, a time and a timedelta": [date(2024, 1, 2), time(12, 30), timedelta(days=1, seconds=5)],
    "a Decimal": Decimal("3.14159265358979323846"),
    "a UUID": UUID(int=42),
    "sets and frozensets": [{1, 2}, frozenset({"a"})],
    "plain containers": {"list": [1, 2.5, "x", None, True], "tuple": (1, (2,)), "bytes": b"\x00\x01"},
    "an OrderedDict": OrderedDict([("b", 1), ("a", 2)]),
}


@pytest.mark.parametrize("protocol", range(3, pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("value", SAFE_PICKLES.values(), ids=SAFE_PICKLES.keys())
def test_safe_values_unpickle(value, protocol):
    got = restricted_loads(pickle.dumps(value, protocol=protocol))
    assert got == value and type(got) is type(value), (
        f"restricted_loads(pickle.dumps({value!r}, protocol={protocol})) returned {got!r}")


CALLS: list[tuple] = []


def record_call(*args):
    """Stands in for any function with a side effect: if it runs, CALLS is not empty."""
    CALLS.append(args)
    return "pwned"


class RunsOsSystem:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


class RunsEval:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (eval, (f"__import__('pathlib').Path({str(self.marker)!r}).touch()",))


class CallsARecorder:
    def __reduce__(self):
        return (record_call, ("side effect",))


class CallsGetattr:
    def __reduce__(self):
        return (getattr, ("", "join"))


MALICIOUS = {
    "os.system creating a marker file": lambda marker: RunsOsSystem(marker),
    "builtins.eval creating a marker file": lambda marker: RunsEval(marker),
    "a module-level function with a side effect": lambda marker: CallsARecorder(),
    "the payload hidden inside a list": lambda marker: [1, {"x": RunsOsSystem(marker)}],
    "builtins.getattr, a step towards anything": lambda marker: CallsGetattr(),
}


@pytest.mark.parametrize("protocol", [0, pickle.HIGHEST_PROTOCOL])
@pytest.mark.parametrize("make_payload", MALICIOUS.values(), ids=MALICIOUS.keys())
def test_a_malicious_pickle_is_refused_and_nothing_runs(make_payload, protocol, tmp_path):
    marker = tmp_path / "pwned"
    CALLS.clear()
    data = pickle.dumps(make_payload(marker), protocol=protocol)
    with pytest.raises(pickle.UnpicklingError):
        restricted_loads(data)
    assert not marker.exists(), f"the payload ran: {marker} was created while unpickling"
    assert CALLS == [], f"the payload ran: record_call was called with {CALLS}"


def test_the_refusal_names_the_global():
    with pytest.raises(pickle.UnpicklingError, match=r"(posix|os)\.system"):
        restricted_loads(pickle.dumps(RunsOsSystem("/nonexistent/marker")))
