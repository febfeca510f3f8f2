"""Tests for the polymorphism kata: run `pytest katas/day1/oop/test_polymorphism.py`."""
import enum
from collections import Counter, OrderedDict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.oop.polymorphism import (
    AuditedRenameAndCast,
    AuditMixin,
    Cast,
    Rename,
    RenameAndCast,
    Transform,
    kind_of,
    run,
)


class Upper(Transform):
    """A Transform written by the test: overrides apply and cooperates through super()."""

    def apply(self, record):
        self.trace.append("Upper")
        record = super().apply(record)
        return {key: value.upper() if isinstance(value, str) else value for key, value in record.items()}


def make_full(log=None):
    return AuditedRenameAndCast(mapping={"amt": "amount"}, types={"amt": int},
                                audit_log=[] if log is None else log)


def test_the_worked_example():
    got = make_full().apply({"amt": "42"})
    assert got == {"amount": 42}, f"AuditedRenameAndCast(...).apply({{'amt': '42'}}) returned {got!r}"


def test_each_apply_runs_once_in_mro_order():
    step = make_full()
    step.apply({"amt": "1"})
    want = ["AuditMixin", "Rename", "Cast", "Transform"]
    assert step.trace == want, (f"after one apply, trace is {step.trace}, expected {want}: every apply "
                                "must call super().apply, so Cast runs inside Rename and Transform once")


def test_cast_runs_inside_rename_on_the_original_key_names():
    step = RenameAndCast(mapping={"a": "b", "n": "count"}, types={"n": int})
    got = step.apply({"a": 1, "n": "7", "other": "x"})
    assert got == {"b": 1, "count": 7, "other": "x"}, f"RenameAndCast.apply returned {got!r}"
    assert step.trace == ["Rename", "Cast", "Transform"], f"trace is {step.trace}"


def test_every_init_in_the_chain_runs_and_keeps_its_own_argument():
    log = []
    step = make_full(log)
    got = {"mapping": step.mapping, "types": step.types, "audit_log is log": step.audit_log is log,
           "count": step.count, "trace": step.trace}
    want = {"mapping": {"amt": "amount"}, "types": {"amt": int}, "audit_log is log": True, "count": 0, "trace": []}
    assert got == want, f"after AuditedRenameAndCast(...), attributes were {got}, expected {want}"


UNKNOWN_KEYWORD = {
    "Transform": lambda: Transform(colour="red"),
    "Rename": lambda: Rename(mapping={}, colour="red"),
    "RenameAndCast": lambda: RenameAndCast(mapping={}, types={}, colour="red"),
    "AuditedRenameAndCast": lambda: AuditedRenameAndCast(mapping={}, types={}, audit_log=[], colour="red"),
}


@pytest.mark.parametrize("build", UNKNOWN_KEYWORD.values(), ids=UNKNOWN_KEYWORD.keys())
def test_an_unknown_keyword_reaches_object_and_raises_type_error(build):
    with pytest.raises(TypeError, match="colour|argument"):
        build()


def test_apply_does_not_modify_its_input():
    record = {"amt": "5"}
    make_full().apply(record)
    assert record == {"amt": "5"}, f"the input record was changed to {record!r}"


def test_the_mixin_works_on_top_of_any_transform():
    class AuditedUpper(AuditMixin, Upper):
        pass

    log = []
    step = AuditedUpper(audit_log=log)
    first = step.apply({"name": "ada"})
    step.apply({"name": "bob"})
    assert first == {"name": "ADA"}, f"AuditedUpper.apply returned {first!r}"
    assert step.count == 2, f"count is {step.count} after two records"
    assert log == ["AuditedUpper: {'name': 'ADA'}", "AuditedUpper: {'name': 'BOB'}"], \
        f"audit_log is {log}: expected one line per record, class name and the RESULT"


def test_a_subclass_can_override_apply_and_extend_the_parent():
    class ShoutingRename(Rename):
        def apply(self, record):
            return {key.upper(): value for key, value in super().apply(record).items()}

    got = ShoutingRename(mapping={"a": "b"}).apply({"a": 1})
    assert got == {"B": 1}, f"ShoutingRename.apply returned {got!r}"


def test_run_applies_each_step_in_order_whatever_its_class():
    steps = [Rename(mapping={"n": "name"}), Upper(), Cast(types={"age": int})]
    got = run(steps, [{"n": "ada", "age": "36"}, {"n": "bob", "age": "7"}])
    want = [{"name": "ADA", "age": 36}, {"name": "BOB", "age": 7}]
    assert got == want, f"run(...) returned {got!r}, expected {want!r}"


class Level(enum.IntEnum):
    LOW = 1


KINDS = {
    "True is a flag, not an integer": (True, "flag"),
    "False is a flag": (False, "flag"),
    "zero": (0, "integer"),
    "IntEnum member is an integer": (Level.LOW, "integer"),
    "float": (1.5, "number"),
    "empty string is text, not a sequence": ("", "text"),
    "string": ("abc", "text"),
    "None": (None, "null"),
    "dict": ({}, "mapping"),
    "OrderedDict": (OrderedDict(a=1), "mapping"),
    "Counter": (Counter("aa"), "mapping"),
    "list": ([1], "sequence"),
    "tuple": ((), "sequence"),
    "range": (range(3), "sequence"),
}


@pytest.mark.parametrize("value,want", KINDS.values(), ids=KINDS.keys())
def test_kind_of_checks_the_most_specific_type_first(value, want):
    got = kind_of(value)
    assert got == want, f"kind_of({value!r}) returned {got!r}, expected {want!r}"


@pytest.mark.parametrize("value", [{1, 2}, object()], ids=["set", "object"])
def test_kind_of_refuses_unknown_types_naming_them(value):
    with pytest.raises(TypeError, match=type(value).__name__):
        kind_of(value)


ORACLE = {bool: "flag", int: "integer", float: "number", str: "text", type(None): "null",
          dict: "mapping", list: "sequence", tuple: "sequence"}
values = st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(), st.none(),
                   st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
                   st.lists(st.integers(), max_size=3), st.tuples(st.integers()))


@settings(max_examples=200, deadline=None)
@given(value=values)
def test_kind_of_matches_an_exact_type_table(value):
    """Property: for plain built-ins, kind_of agrees with a lookup on the exact type."""
    assert kind_of(value) == ORACLE[type(value)], f"kind_of({value!r})"
