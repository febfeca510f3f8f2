"""Tests for the formats kata: run `pytest katas/mock/tools/test_formats.py`.

Round trips (Avro and Parquet give the rows back, JSON lines gives text), Avro schema evolution in
both directions, the measurement table with an injected clock (sizes checked, never times), and
Parquet column projection measured in bytes read, against what the file's footer says.
"""
from __future__ import annotations

import copy
import os
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastavro.read import SchemaResolutionError

from katas.mock.tools.formats import (
    FORMATS,
    ORDER_SCHEMA,
    add_field,
    bytes_read,
    column_chunk_bytes,
    json_losses,
    make_orders,
    measure,
    read_avro,
    read_jsonl,
    read_parquet,
    write_avro,
    write_jsonl,
    write_parquet,
)

UTC = timezone.utc
EDGE_ROWS = [
    {"order_id": 1, "customer": "Chloé #7 «quoted» \"x\"", "amount": Decimal("0.01"), "ordered_on": date(1970, 1, 1),
     "shipped_at": None, "status": "new"},
    {"order_id": 2**40, "customer": "東京 #1", "amount": Decimal("99999999.99"), "ordered_on": date(2099, 12, 31),
     "shipped_at": datetime(2100, 1, 1, 0, 0, 0, 1, tzinfo=UTC), "status": "paid"},
    {"order_id": 3, "customer": "", "amount": Decimal("-12.30"), "ordered_on": date(2024, 2, 29),
     "shipped_at": datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=UTC), "status": "returned"},
]
ROWS = EDGE_ROWS + make_orders(300, seed=2)

WRITE_READ = {"avro": (write_avro, read_avro), "parquet": (write_parquet, read_parquet)}


@pytest.mark.parametrize("fmt", WRITE_READ, ids=WRITE_READ.keys())
def test_avro_and_parquet_give_the_rows_back_with_their_types(tmp_path, fmt):
    write, read = WRITE_READ[fmt]
    path = tmp_path / f"orders.{fmt}"
    write(ROWS, path)
    got = read(path)
    assert len(got) == len(ROWS), f"read_{fmt}(write_{fmt}(<{len(ROWS)} rows>)) gave {len(got)} rows"
    bad = next((i for i, (a, b) in enumerate(zip(got, ROWS)) if a != b), None)
    assert bad is None, (f"read_{fmt}(write_{fmt}(rows)) changed row {bad}: got {got[bad]}, wrote {ROWS[bad]} "
                         f"(Decimal, date and aware UTC datetime must come back as they were)")


# -- JSON lines: what comes back is text ----------------------------------------------------------------------

def test_jsonl_writes_one_object_per_line(tmp_path):
    path = tmp_path / "orders.jsonl"
    write_jsonl(ROWS, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(ROWS) and all(line.startswith("{") and line.endswith("}") for line in lines), (
        f"write_jsonl(<{len(ROWS)} rows>) wrote {len(lines)} lines, first {lines[:1]}: expected one JSON object a line")


JSONL_CASES = {        # field -> what read_jsonl gives back for EDGE_ROWS
    "a decimal is its exact text, trailing zero kept": ("amount", ["0.01", "99999999.99", "-12.30"]),
    "a date is ISO text": ("ordered_on", ["1970-01-01", "2099-12-31", "2024-02-29"]),
    "a datetime is ISO text with its offset, None stays null": (
        "shipped_at", [None, "2100-01-01T00:00:00.000001+00:00", "2024-02-29T23:59:59.999999+00:00"]),
    "integers stay integers, even past 2**32": ("order_id", [1, 2**40, 3]),
    "text stays text, unicode and quotes included": ("customer", [r["customer"] for r in EDGE_ROWS]),
}


@pytest.mark.parametrize("field,want", JSONL_CASES.values(), ids=JSONL_CASES.keys())
def test_jsonl_round_trip_gives_text_for_what_json_cannot_type(tmp_path, field, want):
    path = tmp_path / "orders.jsonl"
    write_jsonl(EDGE_ROWS, path)
    got = [row[field] for row in read_jsonl(path)]
    assert got == want and [type(g) for g in got] == [type(w) for w in want], (
        f"read_jsonl(write_jsonl(<edge rows>)) gave {field} = {got!r}, expected {want!r} "
        f"(a Decimal written as a float would come back as {[float(r['amount']) for r in EDGE_ROWS]})")


def test_json_losses_names_the_fields_json_turns_into_text(tmp_path):
    got = json_losses(ROWS, tmp_path)
    want = {"amount": ("Decimal", "str"), "ordered_on": ("date", "str"), "shipped_at": ("datetime", "str")}
    assert got == want and list(got) == list(want), f"json_losses(<rows>) returned {got}, expected {want}"


# -- Avro schema evolution ----------------------------------------------------------------------------------------

@pytest.fixture
def old_file(tmp_path) -> Path:
    """Orders written by the old writer (ORDER_SCHEMA, no channel field)."""
    path = tmp_path / "v1.avro"
    write_avro(ROWS, path)
    return path


def test_add_field_appends_the_field_with_its_default_and_leaves_the_schema_alone():
    before = copy.deepcopy(ORDER_SCHEMA)
    got = add_field(ORDER_SCHEMA, "channel", "string", "web")
    assert ORDER_SCHEMA == before, "add_field changed the schema it was given: return a new one (copy.deepcopy)"
    assert got["fields"][:-1] == before["fields"], "add_field changed or reordered the existing fields"
    assert got["fields"][-1] == {"name": "channel", "type": "string", "default": "web"}, (
        f"the new field is {got['fields'][-1]}, expected {{'name': 'channel', 'type': 'string', 'default': 'web'}}")


def test_a_new_reader_fills_the_default_into_old_files(old_file):
    v2 = add_field(ORDER_SCHEMA, "channel", "string", "web")
    got = read_avro(old_file, reader_schema=v2)
    assert [r.get("channel") for r in got] == ["web"] * len(ROWS), (
        f"read_avro(<v1 file>, reader_schema=v2) gave channel {[r.get('channel') for r in got[:3]]}..., expected "
        f"'web' for every row: pass reader_schema to fastavro.reader")
    assert [{k: v for k, v in r.items() if k != "channel"} for r in got] == ROWS, "the other fields changed"


def test_a_new_nullable_field_defaults_to_none(old_file):
    v2 = add_field(ORDER_SCHEMA, "coupon", ["null", "string"], None)
    got = read_avro(old_file, reader_schema=v2)
    assert all("coupon" in r and r["coupon"] is None for r in got), f"coupon came back as {got[0].get('coupon', '<absent>')!r}"


def test_an_old_reader_skips_the_field_a_new_writer_added(tmp_path):
    v2 = add_field(ORDER_SCHEMA, "channel", "string", "web")
    new_rows = [{**row, "channel": "app"} for row in ROWS]
    path = tmp_path / "v2.avro"
    write_avro(new_rows, path, schema=v2)
    assert [r["channel"] for r in read_avro(path)] == ["app"] * len(ROWS), (
        "read_avro(<v2 file>) without a reader schema must use the writer's schema stored in the file")
    old = read_avro(path, reader_schema=ORDER_SCHEMA)
    assert old == ROWS, f"read_avro(<v2 file>, reader_schema=ORDER_SCHEMA) gave {old[0]}, expected {ROWS[0]}"


def test_a_new_field_without_a_default_cannot_read_old_files(old_file):
    no_default = copy.deepcopy(ORDER_SCHEMA)
    no_default["fields"].append({"name": "channel", "type": "string"})
    with pytest.raises(SchemaResolutionError):
        read_avro(old_file, reader_schema=no_default)


# -- the measurement table -------------------------------------------------------------------------------------------

def triangular_clock():
    """0, 1, 3, 6, 10, ...: each difference is one more than the last (the gap between formats is 3, then 6)."""
    state = {"t": 0, "step": 0}

    def clock() -> float:
        state["t"] += state["step"]
        state["step"] += 1
        return float(state["t"])
    return clock


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    folder = tmp_path_factory.mktemp("measure")
    return folder, measure(make_orders(5000, seed=3), folder, clock=triangular_clock())


def test_measure_gives_one_row_per_format_in_order_with_the_clock_around_each_step(measured):
    _, got = measured
    table = [(m.format, m.write_seconds, m.read_seconds, m.rows) for m in got]
    want = [("avro", 1.0, 2.0, 5000), ("parquet", 4.0, 5.0, 5000), ("jsonl", 7.0, 8.0, 5000)]
    assert table == want, (
        f"measure(<5,000 rows>, clock=0,1,3,6,...) gave (format, write_seconds, read_seconds, rows) {table}, expected "
        f"{want}: call clock() before the write, between write and read, and after the read, formats in FORMATS order")


def test_measure_reports_each_files_size_and_the_binary_formats_are_smaller(measured):
    folder, got = measured
    files = {p.suffix.lstrip("."): p.stat().st_size for p in Path(folder).iterdir()}
    sizes = {m.format: m.bytes for m in got}
    assert sorted(sizes.items()) == sorted((fmt, files.get(fmt)) for fmt in FORMATS), (
        f"measure reported sizes {sizes}; the files in the folder are {files}")
    assert sizes["parquet"] < sizes["avro"] < sizes["jsonl"], (
        f"sizes {sizes}: expected parquet (columnar, compressed) < avro (binary rows) < jsonl (keys on every line)")


# -- Parquet column projection ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("parquet") / "orders.parquet"
    write_parquet(make_orders(20_000, seed=4), path, row_group_size=5000)
    return path


ORDER_SCHEMA_NAMES = [field["name"] for field in ORDER_SCHEMA["fields"]]
FOOTER_READ = 64 * 1024     # pyarrow reads up to this much from the end of the file first


def test_column_chunk_bytes_adds_up_to_the_file_minus_its_footer(parquet_file):
    metadata = pq.ParquetFile(parquet_file).metadata
    assert metadata.num_row_groups == 4, f"write_parquet(row_group_size=5000) made {metadata.num_row_groups} row groups"
    data = os.path.getsize(parquet_file) - metadata.serialized_size - 12   # 'PAR1' + ... + footer length + 'PAR1'
    everything = column_chunk_bytes(parquet_file)
    assert everything == data, (f"column_chunk_bytes(<file>) is {everything}; the file has {data} bytes of column "
                                f"chunks (its size minus footer and magic): sum over EVERY row group")
    parts = {name: column_chunk_bytes(parquet_file, [name]) for name in ORDER_SCHEMA_NAMES}
    assert sum(parts.values()) == everything and all(parts.values()), (
        f"column_chunk_bytes per column {parts} should be positive and add up to {everything}")


PROJECTIONS = {"one small column": ["status"], "two columns": ["order_id", "amount"], "every column": None}


@pytest.mark.parametrize("columns", PROJECTIONS.values(), ids=PROJECTIONS.keys())
def test_bytes_read_is_the_chunks_asked_for_plus_the_footer(parquet_file, columns):
    chunks = column_chunk_bytes(parquet_file, columns)
    got = bytes_read(parquet_file, columns)
    footer = pq.ParquetFile(parquet_file).metadata.serialized_size
    assert chunks <= got <= chunks + FOOTER_READ + footer + 12, (
        f"bytes_read(<file>, {columns}) is {got}; the chunks of those columns are {chunks} bytes, so expected between "
        f"{chunks} and {chunks + FOOTER_READ + footer + 12} (count read() AND readinto())")


def test_reading_one_column_reads_a_fraction_of_the_file(parquet_file):
    one, every = bytes_read(parquet_file, ["status"]), bytes_read(parquet_file)
    assert one * 5 < every, f"bytes_read(['status']) is {one}, of all columns {every}: projection should read far less"
    rows = read_parquet(parquet_file, ["status", "order_id"])
    assert len(rows) == 20_000 and set(rows[0]) == {"status", "order_id"}, (
        f"read_parquet(<file>, ['status', 'order_id']) gave {len(rows)} rows with keys {sorted(rows[0])}")
