"""Tests for the Delta table kata: run `pytest katas/mock/tools/test_data_lake.py`.

Every table lives in pytest's tmp_path; delta-rs needs no service and no JVM.
"""
import tempfile
import threading
from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import DeltaTable
from hypothesis import given, settings
from hypothesis import strategies as st

from katas.mock.tools.data_lake import SchemaMismatch, append, append_evolving, compact, read_at, vacuum

SCHEMA = pa.schema([("event_id", pa.int64()), ("user_id", pa.string()), ("amount", pa.float64())])


def events(*ids: int, schema: pa.Schema = SCHEMA) -> pa.Table:
    """A batch of events: user u<id>, amount id * 1.5."""
    return pa.table({"event_id": list(ids), "user_id": [f"u{i}" for i in ids],
                     "amount": [i * 1.5 for i in ids]}, schema=schema)


def rows(table: pa.Table) -> list[dict]:
    return table.to_pylist()


def parquet_files(path: Path) -> set[str]:
    return {p.name for p in path.glob("*.parquet")}


def version_of(path: Path) -> int:
    return DeltaTable(path).version()


@pytest.fixture
def lake(tmp_path) -> Path:
    return tmp_path / "events"


# ---------------------------------------------------------------------------------------------
# ACID appends
# ---------------------------------------------------------------------------------------------

def test_first_append_creates_version_0_and_each_append_is_one_more_version(lake):
    got = [append(lake, events(1, 2, 3)), append(lake, events(4, 5)), append(lake, events(6))]
    assert got == [0, 1, 2], f"append(...) three times returned versions {got}, expected [0, 1, 2]"
    table = read_at(lake)
    assert rows(table) == rows(events(1, 2, 3, 4, 5, 6)), \
        f"read_at(path) after three appends returned {rows(table)}, expected the six events sorted by event_id"


def test_an_append_writes_only_the_new_rows_and_keeps_earlier_files(lake):
    append(lake, events(1, 2))
    first_files = parquet_files(lake)
    append(lake, events(3))
    append(lake, events(4))
    live = len(DeltaTable(lake).file_uris())
    assert first_files <= parquet_files(lake) and live == 3, \
        (f"after append x3 the current version uses {live} files and the first file kept is "
         f"{first_files <= parquet_files(lake)}; expected 3 files, the first one untouched: "
         "an append adds files, it does not read and overwrite the table")


def test_appends_from_several_threads_all_land_each_with_its_own_version(lake):
    append(lake, events(0))
    versions: list[int] = []
    errors: list[BaseException] = []

    def writer(event_id: int) -> None:
        try:
            versions.append(append(lake, events(event_id)))
        except BaseException as exc:   # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, f"append from 6 threads raised {errors!r}"
    assert sorted(versions) == [1, 2, 3, 4, 5, 6], \
        f"6 concurrent appends returned versions {sorted(versions)}, expected each of 1..6 once"
    got = [row["event_id"] for row in rows(read_at(lake))]
    assert got == list(range(7)), f"read_at after 6 concurrent appends has event_ids {got}, expected 0..6"


def test_columns_in_another_order_are_the_same_schema(lake):
    append(lake, events(1))
    shuffled = events(2).select(["amount", "event_id", "user_id"])
    version = append(lake, shuffled)
    assert version == 1 and rows(read_at(lake)) == rows(events(1, 2)), \
        f"append of a batch with columns reordered returned {version} and left {rows(read_at(lake))}"


# ---------------------------------------------------------------------------------------------
# Schema enforcement
# ---------------------------------------------------------------------------------------------

SCHEMA_MISMATCHES = {
    "amount sent as text (delta-rs alone would cast '1.5' to 1.5)":
        (pa.table({"event_id": [9], "user_id": ["u9"], "amount": ["1.5"]}), "amount"),
    "event_id as int32 (delta-rs alone would widen it)":
        (pa.table({"event_id": pa.array([9], pa.int32()), "user_id": ["u9"], "amount": [1.5]}), "event_id"),
    "an extra column": (events(9).append_column("country", pa.array(["DE"])), "country"),
    "a missing column": (events(9).drop_columns(["user_id"]), "user_id"),
}


@pytest.mark.parametrize("batch,column", SCHEMA_MISMATCHES.values(), ids=SCHEMA_MISMATCHES.keys())
def test_a_batch_with_another_schema_is_refused_and_leaves_no_trace(lake, batch, column):
    append(lake, events(1, 2))
    files_before = parquet_files(lake)
    try:
        got = append(lake, batch)
    except SchemaMismatch as exc:
        message = str(exc)
    else:
        pytest.fail(f"append(path, batch with schema {batch.schema.names} {batch.schema.types}) returned {got}, "
                    "expected SchemaMismatch")
    assert column in message, f"append raised SchemaMismatch({message!r}); the message must name {column!r}"
    assert version_of(lake) == 0, f"after a refused append the table is at version {version_of(lake)}, expected 0"
    assert parquet_files(lake) == files_before, \
        f"a refused append left new files {parquet_files(lake) - files_before}: check the schema before writing"


# ---------------------------------------------------------------------------------------------
# Schema evolution
# ---------------------------------------------------------------------------------------------

def test_evolution_adds_a_new_column_and_older_rows_read_null(lake):
    append(lake, events(1))
    version = append_evolving(lake, events(2).append_column("country", pa.array(["DE"])))
    got = rows(read_at(lake))
    want = [{"event_id": 1, "user_id": "u1", "amount": 1.5, "country": None},
            {"event_id": 2, "user_id": "u2", "amount": 3.0, "country": "DE"}]
    assert (version, got) == (1, want), f"append_evolving with a new column returned {version}, table {got}; expected 1, {want}"
    append(lake, events(3).append_column("country", pa.array(["FR"])))   # the evolved schema is now the contract
    assert version_of(lake) == 2, "append with the evolved schema (country included) must be accepted"


def test_evolution_fills_columns_the_batch_lacks_with_null(lake):
    append(lake, events(1))
    append_evolving(lake, events(2).drop_columns(["user_id"]))
    got = rows(read_at(lake))[1]
    assert got == {"event_id": 2, "user_id": None, "amount": 3.0}, \
        f"append_evolving of a batch without user_id stored {got}, expected user_id None"


def test_evolution_does_not_change_a_column_type(lake):
    append(lake, events(1))
    with pytest.raises(SchemaMismatch, match="amount"):
        append_evolving(lake, pa.table({"event_id": [2], "user_id": ["u2"], "amount": ["3.0"]}))
    assert version_of(lake) == 0, f"a refused evolving append moved the table to version {version_of(lake)}"


def test_evolution_creates_the_table_when_there_is_none(lake):
    assert append_evolving(lake, events(1)) == 0 and rows(read_at(lake)) == rows(events(1))


# ---------------------------------------------------------------------------------------------
# Time travel
# ---------------------------------------------------------------------------------------------

def test_time_travel_reads_each_version_as_it_was(lake):
    seen = {}
    for batch in (events(3, 1), events(2)):
        version = append(lake, batch)
        seen[version] = rows(read_at(lake))
    append_evolving(lake, events(4).append_column("country", pa.array(["DE"])))
    for version, want in seen.items():
        got = rows(read_at(lake, version=version))
        assert got == want, f"read_at(path, version={version}) returned {got}, expected {want}"
    columns = read_at(lake, version=1).column_names
    assert columns == ["event_id", "user_id", "amount"], \
        f"read_at(path, version=1).column_names is {columns}: version 1 had no country column"


# ---------------------------------------------------------------------------------------------
# Compaction and vacuum
# ---------------------------------------------------------------------------------------------

def small_files_table(lake: Path, count: int = 6) -> list[dict]:
    for event_id in range(count):
        append(lake, events(event_id))
    return rows(read_at(lake))


def test_compaction_cuts_the_file_count_and_keeps_every_row(lake):
    before_rows = small_files_table(lake)
    got = compact(lake)
    assert got == (6, 1), f"compact(path) on 6 one-row appends returned {got}, expected (6, 1)"
    assert rows(read_at(lake)) == before_rows, "compact changed the rows; it may only rewrite files"
    last = DeltaTable(lake).history(1)[0]
    assert (last["version"], last["operation"]) == (6, "OPTIMIZE"), \
        f"the last commit after compact is {last['version']} {last['operation']}, expected 6 OPTIMIZE"
    assert rows(read_at(lake, version=2)) == rows(events(0, 1, 2)), \
        "after compact (and before a vacuum), version 2 must still read as it was"


def test_vacuum_deletes_what_only_old_versions_used_and_ends_time_travel_to_them(lake):
    current = small_files_table(lake)
    old_files = sorted(parquet_files(lake))
    assert vacuum(lake) == [], "vacuum before any compaction returned files: every file is still in use"
    compact(lake)
    got = vacuum(lake)
    assert got == old_files, \
        (f"vacuum(path) after compact returned {got}, expected the 6 small files {old_files}. "
         "Did the default 7-day retention keep them? Pass retention_hours=0, enforce_retention_duration=False, "
         "dry_run=False")
    left = parquet_files(lake)
    assert len(left) == 1 and not set(old_files) & left, f"after vacuum the folder holds {sorted(left)}"
    assert rows(read_at(lake)) == current, "vacuum changed the current version's rows"
    with pytest.raises(OSError):   # FileNotFoundError: the files of version 2 are gone
        read_at(lake, version=2)


# ---------------------------------------------------------------------------------------------
# Property: the table at version v is the first v + 1 batches, whatever they are
# ---------------------------------------------------------------------------------------------

unique_ids = st.lists(st.integers(0, 10**6), min_size=1, max_size=12, unique=True)
batches = unique_ids.flatmap(lambda ids: st.integers(1, min(4, len(ids))).map(
    lambda parts: [ids[start::parts] for start in range(parts)]))


@settings(max_examples=12, deadline=None, derandomize=True)
@given(id_batches=batches)
def test_every_version_reads_as_the_batches_appended_up_to_it(id_batches):
    with tempfile.TemporaryDirectory(prefix="data_lake_kata_") as folder:
        path = Path(folder) / "events"
        for ids in id_batches:
            append(path, events(*ids))
        for version in range(len(id_batches)):
            upto = [i for ids in id_batches[: version + 1] for i in ids]
            want = sorted(rows(events(*upto)), key=lambda row: row["event_id"])
            got = rows(read_at(path, version=version))
            assert got == want, f"read_at(path, version={version}) after appending {id_batches} returned {got}"
