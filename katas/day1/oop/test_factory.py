"""Tests for the factory kata: run `pytest katas/day1/oop/test_factory.py`.

Tests that register new formats use their own ReaderRegistry, so the shared one stays as shipped.
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.day1.oop.factory import (
    CsvReader,
    DuplicateFormatError,
    JsonLinesReader,
    JsonReader,
    ReaderRegistry,
    UnknownFormatError,
    make_reader,
    register_reader,
)


class TsvReader:
    def read(self, text):
        return [line.split("\t") for line in text.splitlines()]


class OtherTsvReader(TsvReader):
    pass


SHIPPED = {
    "csv": ("csv", CsvReader, "id,name\n1,ada\n", [{"id": "1", "name": "ada"}]),
    "json": ("json", JsonReader, '[{"id": 1}, {"id": 2}]', [{"id": 1}, {"id": 2}]),
    "jsonl skips blank lines": ("jsonl", JsonLinesReader, '{"id": 1}\n\n{"id": 2}\n', [{"id": 1}, {"id": 2}]),
    "upper-case name": ("CSV", CsvReader, "id\n7\n", [{"id": "7"}]),
    "name with spaces": (" jsonl ", JsonLinesReader, '{"a": true}', [{"a": True}]),
}


@pytest.mark.parametrize("fmt,cls,text,want", SHIPPED.values(), ids=SHIPPED.keys())
def test_make_reader_builds_the_shipped_readers(fmt, cls, text, want):
    reader = make_reader(fmt)
    assert type(reader) is cls, f"make_reader({fmt!r}) returned a {type(reader).__name__}, expected {cls.__name__}"
    got = reader.read(text)
    assert got == want, f"make_reader({fmt!r}).read({text!r}) returned {got!r}, expected {want!r}"


def test_make_reader_passes_options_to_the_constructor():
    reader = make_reader("csv", delimiter=";")
    got = reader.read("id;name\n1;ada\n")
    assert got == [{"id": "1", "name": "ada"}], f"make_reader('csv', delimiter=';') read {got!r}"


def test_each_call_builds_a_new_instance():
    first, second = make_reader("json"), make_reader("json")
    assert isinstance(first, JsonReader) and first is not second, "make_reader must return a fresh instance per call"


def test_an_unknown_format_error_lists_the_known_ones():
    with pytest.raises(UnknownFormatError) as caught:
        make_reader("xml")
    error = caught.value
    assert isinstance(error, ValueError), "UnknownFormatError should be a ValueError"
    assert (error.fmt, error.known) == ("xml", ["csv", "json", "jsonl"]), \
        f"error.fmt={error.fmt!r}, error.known={error.known!r}"
    assert "'xml'" in str(error) and "csv, json, jsonl" in str(error), \
        f"message {str(error)!r} should name 'xml' and list csv, json, jsonl"


def test_the_decorator_returns_the_class_unchanged():
    registry = ReaderRegistry()

    @registry.register("tsv")
    class Decorated(TsvReader):
        pass

    assert isinstance(Decorated, type) and Decorated.__name__ == "Decorated", \
        f"after @register('tsv') the name Decorated refers to {Decorated!r}: the decorator must return the class"
    assert type(registry.create("tsv")) is Decorated


DUPLICATES = {"same spelling": ("tsv", "tsv"), "other case": ("tsv", "TSV"), "padded": ("tsv", " tsv")}


@pytest.mark.parametrize("first,second", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_a_duplicate_registration_is_refused_and_changes_nothing(first, second):
    registry = ReaderRegistry()
    registry.register(first)(TsvReader)
    with pytest.raises(DuplicateFormatError, match="tsv") as caught:
        registry.register(second)(OtherTsvReader)
    assert "TsvReader" in str(caught.value), f"message {str(caught.value)!r} should name the class holding 'tsv'"
    assert isinstance(caught.value, ValueError)
    assert type(registry.create("tsv")) is TsvReader, "the refused registration replaced the first one"
    assert registry.formats() == ["tsv"]


def test_the_shared_registry_refuses_to_replace_csv():
    with pytest.raises(DuplicateFormatError, match="csv"):
        register_reader("CSV")(OtherTsvReader)
    assert type(make_reader("csv")) is CsvReader


def test_a_class_without_read_is_refused():
    registry = ReaderRegistry()
    registry.register("ok")(TsvReader)

    class NoRead:
        pass

    with pytest.raises(TypeError, match="NoRead"):
        registry.register("bad")(NoRead)
    assert registry.formats() == ["ok"], f"formats() is {registry.formats()} after a refused class"


def test_formats_are_sorted_and_lower_case():
    registry = ReaderRegistry()
    for name in ["Zeta", "alpha", " Mid "]:
        registry.register(name)(TsvReader)
    assert registry.formats() == ["alpha", "mid", "zeta"], f"formats() returned {registry.formats()}"


names = st.sampled_from(["a", "A", " a", "b", "B ", "c"])


@settings(max_examples=150, deadline=None)
@given(attempts=st.lists(names, max_size=10), lookups=st.lists(names | st.just("zz"), max_size=5))
def test_registry_matches_a_dict_model(attempts, lookups):
    """Property: registering a sequence of names behaves like a dict that refuses existing keys."""
    registry, model = ReaderRegistry(), {}
    for i, name in enumerate(attempts):
        cls = type(f"Reader{i}", (TsvReader,), {})
        key = name.strip().lower()
        if key in model:
            with pytest.raises(DuplicateFormatError):
                registry.register(name)(cls)
        else:
            registry.register(name)(cls)
            model[key] = cls
    assert registry.formats() == sorted(model), f"after registering {attempts}"
    for name in lookups:
        key = name.strip().lower()
        if key in model:
            assert type(registry.create(name)) is model[key]
        else:
            with pytest.raises(UnknownFormatError):
                registry.create(name)
