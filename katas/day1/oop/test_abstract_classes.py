"""Tests for the abstract classes kata: run `pytest katas/day1/oop/test_abstract_classes.py`."""
import inspect
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from katas.day1.oop.abstract_classes import (
    CsvSink,
    CsvSource,
    DataSource,
    JsonLinesSink,
    JsonLinesSource,
    Sink,
    copy,
)


class ListSource(DataSource):
    """A complete subclass defined by the test: it only implements read()."""

    def __init__(self, records):
        self.records = records

    def read(self) -> Iterator[dict]:
        yield from self.records


class ListSink:
    """Duck-typed: has write(), inherits nothing."""

    def __init__(self):
        self.records = []

    def write(self, records) -> int:
        before = len(self.records)
        self.records.extend(records)
        return len(self.records) - before


def test_data_source_itself_cannot_be_instantiated():
    assert inspect.isabstract(DataSource), "DataSource should be abstract (inherit from ABC, mark read abstract)"
    with pytest.raises(TypeError, match="abstract"):
        DataSource()


def test_a_subclass_that_forgets_read_fails_when_created_not_when_called():
    class ForgotRead(DataSource):
        def describe(self):
            return "no read here"

    with pytest.raises(TypeError, match="read"):
        ForgotRead()


def test_a_complete_subclass_gets_read_all_for_free():
    source = ListSource([{"id": "1"}, {"id": "2"}])
    got = source.read_all()
    assert got == [{"id": "1"}, {"id": "2"}], f"read_all() returned {got!r}"


CSV_CASES = {
    "plain rows": ("id,name\n1,ada\n2,bob\n", [{"id": "1", "name": "ada"}, {"id": "2", "name": "bob"}]),
    "quoted comma": ('id,name\n1,"Lovelace, Ada"\n', [{"id": "1", "name": "Lovelace, Ada"}]),
    "quoted newline inside a field": ('id,note\n1,"line one\nline two"\n', [{"id": "1", "note": "line one\nline two"}]),
    "unicode": ("id,name\n1,Zoë 東京\n", [{"id": "1", "name": "Zoë 東京"}]),
    "header only": ("id,name\n", []),
    "empty file": ("", []),
}


@pytest.mark.parametrize("text,want", CSV_CASES.values(), ids=CSV_CASES.keys())
def test_csv_source_yields_one_dict_per_row(tmp_path, text, want):
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode("utf-8"))
    got = list(CsvSource(path).read())
    assert got == want, f"CsvSource reading {text!r} yielded {got!r}, expected {want!r}"


def test_json_lines_source_skips_blank_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "1"}\n\n  \n{"id": "2", "name": "Zoë"}\n', encoding="utf-8")
    got = JsonLinesSource(path).read_all()
    assert got == [{"id": "1"}, {"id": "2", "name": "Zoë"}], f"JsonLinesSource yielded {got!r}"


def test_sink_is_a_runtime_checkable_protocol():
    assert isinstance(ListSink(), Sink), "an object with a write() method should be a Sink (runtime_checkable Protocol)"
    assert not isinstance(object(), Sink), "an object without write() must not be a Sink"


@pytest.mark.parametrize("sink_class", [CsvSink, JsonLinesSink], ids=["csv", "jsonl"])
def test_the_shipped_sinks_fit_the_protocol_without_inheriting_it(tmp_path, sink_class):
    assert Sink not in sink_class.__mro__, f"{sink_class.__name__} should not inherit from Sink: fit it by shape"
    assert isinstance(sink_class(tmp_path / "out"), Sink), f"isinstance({sink_class.__name__}(...), Sink) is False"


ROUND_TRIPS = {"csv": (CsvSink, CsvSource), "jsonl": (JsonLinesSink, JsonLinesSource)}
RECORDS = [{"id": "1", "name": "Lovelace, Ada", "note": "a\r\nb"}, {"id": "2", "name": "Zoë", "note": ""}]


@pytest.mark.parametrize("sink_class,source_class", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_records_written_by_a_sink_read_back_equal(tmp_path, sink_class, source_class):
    path = tmp_path / "data"
    written = sink_class(path).write(iter(RECORDS))
    assert written == 2, f"{sink_class.__name__}.write returned {written}, expected 2"
    got = source_class(path).read_all()
    assert got == RECORDS, f"wrote {RECORDS!r}, read back {got!r}"


def test_csv_sink_writes_an_empty_file_for_no_records(tmp_path):
    path = tmp_path / "empty.csv"
    assert CsvSink(path).write([]) == 0
    assert path.read_text(encoding="utf-8") == "" and CsvSource(path).read_all() == []


def test_copy_moves_every_record_and_returns_the_count():
    sink = ListSink()
    got = copy(ListSource([{"id": "1"}, {"id": "2"}, {"id": "3"}]), sink)
    assert got == 3 and sink.records == [{"id": "1"}, {"id": "2"}, {"id": "3"}], \
        f"copy returned {got}, sink holds {sink.records!r}"


def test_copy_refuses_a_sink_without_write():
    with pytest.raises(TypeError, match="list"):
        copy(ListSource([{"id": "1"}]), [])


def test_copy_refuses_a_source_that_is_not_a_data_source():
    with pytest.raises(TypeError, match="list"):
        copy([{"id": "1"}], ListSink())


field_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
records_strategy = st.lists(st.fixed_dictionaries({"id": field_text, "name": field_text}), max_size=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=records_strategy)
def test_any_text_survives_both_round_trips(tmp_path, records):
    """Property: commas, quotes, newlines, carriage returns and unicode all read back unchanged."""
    for name, (sink_class, source_class) in ROUND_TRIPS.items():
        path = tmp_path / f"prop.{name}"
        assert sink_class(path).write(records) == len(records)
        got = source_class(path).read_all()
        assert got == records, f"{name}: wrote {records!r}, read back {got!r}"
