"""Tests for the spilling group-by: run `pytest katas/mock/python/test_big_csv.py`.

Correctness is checked against a single in-memory dict (fine for small files); the memory test
measures tracemalloc's peak at two key counts; the cleanup tests make the run fail half-way. The
benchmark (`-m perf --benchmark-enable`) races your group_sum_csv, the reference and one dict.
"""
from __future__ import annotations

import csv
import gc
import math
import random
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import katas.mock.python.big_csv as big_csv_module
from dojo.bench import CONTENDERS, race
from katas.mock.python.big_csv import group_sum_csv, partition_csv

HEADER = ["payment_id", "user", "cents"]


def write_csv(path: Path, header: list[str], records: list) -> Path:
    """A CSV the csv module's way: quoting where needed, "\\r\\n" line ends; [] writes a blank line."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if header:
            writer.writerow(header)
        writer.writerows(records)
    return path


def read_records(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def read_groups(dst: Path) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """dst's header and key -> (total, count); a key written twice is a failure of its own."""
    header, *records = read_records(dst)
    groups: dict[str, tuple[int, int]] = {}
    for key, total, count in records:
        assert key not in groups, f"{dst.name} holds the key {key!r} twice: each key must be one group"
        groups[key] = (int(total), int(count))
    return header, groups


def one_dict(src: Path, key: str, value: str) -> dict[str, tuple[int, int]]:
    """The obvious answer: every key in one dict. Right on small files, out of memory on huge ones."""
    groups: dict[str, list[int]] = {}
    with open(src, newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            entry = groups.setdefault(record[key], [0, 0])
            entry[0] += int(record[value])
            entry[1] += 1
    return {k: (total, count) for k, (total, count) in groups.items()}


# -- partition_csv ------------------------------------------------------------------------------------

TRICKY_KEYS = ["plain", "", " padded ", "comma, inside", 'quote "q"', "line\nbreak", "crlf\r\nbreak",
               "lone\rcarriage return", "naïve 東京", "trailing comma,"]


@pytest.mark.timeout(30)
def test_partition_csv_sends_each_record_to_its_crc32_partition_in_input_order(tmp_path):
    records = [[str(i), key, str(i * 7 - 40)] for i, key in enumerate(TRICKY_KEYS * 3)]
    src = write_csv(tmp_path / "src.csv", HEADER, records)
    folder = tmp_path / "parts"
    folder.mkdir()
    paths = partition_csv(src, "user", "cents", folder, 4)
    want = [[[key, cents] for _, key, cents in records if zlib.crc32(key.encode("utf-8")) % 4 == p] for p in range(4)]
    assert len(paths) == 4 and all(Path(p).parent == folder for p in paths), (
        f"partition_csv(..., partitions=4) returned {paths}; expected 4 paths inside {folder}")
    for number, path in enumerate(paths):
        got = read_records(Path(path))
        assert got == want[number], (
            f"partition {number} ({Path(path).name}) holds {got}; expected the records whose key has "
            f"zlib.crc32(key.encode('utf-8')) % 4 == {number}, in input order: {want[number]}")


@pytest.mark.timeout(30)
def test_partition_csv_makes_every_partition_even_the_empty_ones(tmp_path):
    src = write_csv(tmp_path / "src.csv", HEADER, [["1", "only-key", "5"]])
    folder = tmp_path / "parts"
    folder.mkdir()
    paths = [Path(p) for p in partition_csv(src, "user", "cents", folder, 5)]
    assert len(set(paths)) == 5 and all(p.is_file() for p in paths), (
        f"partition_csv(<1 record>, partitions=5) returned {paths}; expected 5 distinct files that exist")
    sizes = sorted(len(read_records(p)) for p in paths)
    assert sizes == [0, 0, 0, 0, 1], f"the 5 partitions hold {sizes} records; expected one record in one of them"


@pytest.mark.timeout(30)
def test_partition_csv_writes_the_value_as_an_integer(tmp_path):
    src = write_csv(tmp_path / "src.csv", HEADER, [["1", "k", "+7"], ["2", "k", " 8"], ["3", "k", "-0"]])
    folder = tmp_path / "parts"
    folder.mkdir()
    (path,) = partition_csv(src, "user", "cents", folder, 1)
    got = read_records(Path(path))
    assert got == [["k", "7"], ["k", "8"], ["k", "0"]], f"values '+7', ' 8', '-0' were written as {got}; expected str(int(text))"


MISSING_COLUMNS = {
    "the key column is not in the header": (["payment_id", "customer", "cents"], "user"),
    "the value column is not in the header": (["payment_id", "user", "amount"], "cents"),
    "an empty file has no header at all": ([], "user"),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("header,missing", MISSING_COLUMNS.values(), ids=MISSING_COLUMNS.keys())
def test_partition_csv_names_a_missing_column(tmp_path, header, missing):
    src = write_csv(tmp_path / "src.csv", header, [])
    folder = tmp_path / "parts"
    folder.mkdir()
    with pytest.raises(ValueError) as raised:
        partition_csv(src, "user", "cents", folder, 2)
    assert missing in str(raised.value), (
        f"partition_csv on a file with header {header} raised {raised.value!r}; the message should name {missing!r}")


# -- group_sum_csv: the answer ----------------------------------------------------------------------------

GROUP_CASES = {
    "header only": ([], {}),
    "one record": ([["1", "u-1", "250"]], {"u-1": (250, 1)}),
    "repeated keys, negative values": ([["1", "u-1", "250"], ["2", "u-2", "-40"], ["3", "u-1", "-300"]],
                                       {"u-1": (-50, 2), "u-2": (-40, 1)}),
    "the empty key and a blank key are two groups": ([["1", "", "1"], ["2", " ", "2"], ["3", "", "3"]],
                                                    {"": (4, 2), " ": (2, 1)}),
    "keys with commas, quotes and every kind of line break": (
        [[str(i), key, "10"] for i, key in enumerate(TRICKY_KEYS)] + [["99", "crlf\r\nbreak", "5"]],
        {**{key: (10, 1) for key in TRICKY_KEYS}, "crlf\r\nbreak": (15, 2)}),
    "a blank line is skipped": ([["1", "u-1", "1"], [], ["2", "u-1", "2"]], {"u-1": (3, 2)}),
    "values as int() reads them": ([["1", "u", "+7"], ["2", "u", " 8"], ["3", "u", "10000000000000000000"]],
                                   {"u": (10_000_000_000_000_000_015, 3)}),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("partition_bytes", [16, 2**20], ids=["many partitions", "one partition"])
@pytest.mark.parametrize("records,want", GROUP_CASES.values(), ids=GROUP_CASES.keys())
def test_group_sum_csv_cases(tmp_path, records, want, partition_bytes):
    src = write_csv(tmp_path / "src.csv", HEADER, records)
    dst = tmp_path / "totals.csv"
    returned = group_sum_csv(src, dst, "user", "cents", partition_bytes=partition_bytes, tmp_dir=tmp_path)
    header, got = read_groups(dst)
    call = f"group_sum_csv(<records {records}>, partition_bytes={partition_bytes})"
    assert header == ["user", "total", "count"], f"{call} wrote the header {header}; expected ['user', 'total', 'count']"
    assert got == want, f"{call} wrote the groups {got}; expected {want}"
    assert returned == len(want), f"{call} returned {returned}; expected the number of groups, {len(want)}"


@pytest.mark.timeout(30)
def test_group_sum_csv_finds_its_columns_by_name(tmp_path):
    records = [["5", "a, b", "u-1", "note\nsecond line"], ["-5", "c", "u-1", ""], ["3", "", "u-2", '"']]
    src = write_csv(tmp_path / "src.csv", ["cents", "comment", "user", "memo"], records)
    dst = tmp_path / "totals.csv"
    group_sum_csv(src, dst, "user", "cents", partition_bytes=8, tmp_dir=tmp_path)
    header, got = read_groups(dst)
    want = {"u-1": (0, 2), "u-2": (3, 1)}
    assert (header, got) == (["user", "total", "count"], want), (
        f"with the value first and quoted extra columns, group_sum_csv wrote {header} {got}; expected {want}")


KEY_TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\n\ré東')), max_size=6)


@pytest.mark.timeout(120)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(KEY_TEXT, st.integers(-10**12, 10**12)), max_size=30),
       partition_bytes=st.integers(32, 400))
def test_group_sum_csv_matches_one_dict_of_every_key(tmp_path, records, partition_bytes):
    src = write_csv(tmp_path / "src.csv", HEADER, [[str(i), key, str(cents)] for i, (key, cents) in enumerate(records)])
    dst = tmp_path / "totals.csv"
    group_sum_csv(src, dst, "user", "cents", partition_bytes=partition_bytes, tmp_dir=tmp_path)
    _, got = read_groups(dst)
    want = one_dict(src, "user", "cents")
    assert got == want, (f"group_sum_csv(<(key, cents) records {records}>, partition_bytes={partition_bytes}) "
                         f"wrote {got}; one dict of every key says {want}")


# -- group_sum_csv: how it gets there -------------------------------------------------------------------

def spy_on_partition_csv(monkeypatch) -> list[dict]:
    """Replace the module's partition_csv by a wrapper that records each call and what it left on disk."""
    calls: list[dict] = []

    def spy(src, key, value, folder, partitions):
        call = {"folder": Path(folder), "partitions": partitions, "files": []}
        calls.append(call)
        try:
            return partition_csv(src, key, value, folder, partitions)
        finally:
            call["files"] = sorted(p.name for p in Path(folder).iterdir())

    monkeypatch.setattr(big_csv_module, "partition_csv", spy)
    return calls


BUDGETS = {
    "budget bigger than the file: one partition": lambda size: size * 2,
    "budget exactly the file: one partition": lambda size: size,
    "one byte less than the file: two partitions": lambda size: size - 1,
    "a tenth of the file": lambda size: size // 10,
    "a 64th of the file": lambda size: size // 64,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("budget", BUDGETS.values(), ids=BUDGETS.keys())
def test_group_sum_csv_spills_ceil_size_over_budget_partitions_into_tmp_dir(tmp_path, monkeypatch, budget):
    rng = random.Random(3)
    src = write_csv(tmp_path / "src.csv", HEADER, [[str(i), f"user-{rng.randrange(300)}", str(rng.randrange(-99, 999))]
                                                   for i in range(2_000)])
    size = src.stat().st_size
    partition_bytes = budget(size)
    spill = tmp_path / "spill"
    spill.mkdir()
    calls = spy_on_partition_csv(monkeypatch)
    group_sum_csv(src, tmp_path / "totals.csv", "user", "cents", partition_bytes=partition_bytes, tmp_dir=spill)
    want = math.ceil(size / partition_bytes)
    got = [(call["partitions"], call["folder"].parent) for call in calls]
    assert got == [(want, spill)], (
        f"for a {size}-byte file and partition_bytes={partition_bytes}, group_sum_csv called partition_csv with "
        f"(partitions, folder's parent) = {got}; expected one call [({want}, {spill})]: ceil(size / partition_bytes) "
        f"partitions, in a new folder inside tmp_dir")
    assert len(calls[0]["files"]) == want, f"partition_csv left {calls[0]['files']} in the folder; expected {want} files"
    _, groups = read_groups(tmp_path / "totals.csv")
    assert groups == one_dict(src, "user", "cents"), "the groups differ from one dict of every key"


@pytest.mark.timeout(30)
def test_group_sum_csv_removes_its_temporary_files_when_it_succeeds(tmp_path):
    src = write_csv(tmp_path / "src.csv", HEADER, [[str(i), f"user-{i % 50}", str(i)] for i in range(1_000)])
    spill = tmp_path / "spill"
    spill.mkdir()
    group_sum_csv(src, tmp_path / "totals.csv", "user", "cents", partition_bytes=512, tmp_dir=spill)
    left = sorted(p.name for p in spill.rglob("*"))
    assert left == [], f"after group_sum_csv returned, tmp_dir still holds {left}; the temporary folder must go"


def a_value_fails_late(tmp_path: Path) -> tuple[Path, Path]:
    records = [[str(i), f"user-{i % 500}", str(i)] for i in range(4_000)]
    records[3_500][2] = "12.50"                      # int() refuses it, 7/8 of the way through
    return write_csv(tmp_path / "src.csv", HEADER, records), tmp_path / "totals.csv"


def the_output_folder_is_missing(tmp_path: Path) -> tuple[Path, Path]:
    records = [[str(i), f"user-{i % 500}", str(i)] for i in range(4_000)]
    return write_csv(tmp_path / "src.csv", HEADER, records), tmp_path / "no-such-folder" / "totals.csv"


def the_key_column_is_missing(tmp_path: Path) -> tuple[Path, Path]:
    return write_csv(tmp_path / "src.csv", ["payment_id", "customer", "cents"], [["1", "a", "1"]]), tmp_path / "t.csv"


FAILURES = {
    "a value int() rejects, on record 3,501 of 4,000": (a_value_fails_late, ValueError),
    "dst's folder does not exist": (the_output_folder_is_missing, OSError),
    "the key column is missing": (the_key_column_is_missing, ValueError),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("make,error", FAILURES.values(), ids=FAILURES.keys())
def test_group_sum_csv_removes_its_temporary_files_when_it_fails(tmp_path, make, error):
    src, dst = make(tmp_path)
    spill = tmp_path / "spill"
    spill.mkdir()
    with pytest.raises(error):
        group_sum_csv(src, dst, "user", "cents", partition_bytes=1_024, tmp_dir=spill)
    left = sorted(str(p.relative_to(spill)) for p in spill.rglob("*"))
    assert left == [], (f"group_sum_csv raised {error.__name__} as it should, but left {left[:5]} "
                        f"({len(left)} in all) in tmp_dir: clean up on the way out too (try/finally)")


# -- memory -------------------------------------------------------------------------------------------------

RECORDS = 40_000
FEW_KEYS, MANY_KEYS = 1_000, 40_000
BUDGET = 128 * 2**10         # partition_bytes: the 1.6 MB file becomes 13 partitions
PEAK_LIMIT = 3 * 2**20       # your peak, at either key count (one dict of 40,000 keys: about 7 MiB)


def payments(path: Path, keys: int) -> Path:
    """RECORDS payments spread over `keys` users; the file's size barely depends on `keys`."""
    rng = random.Random(keys)
    users = [f"user-{n:06d}" for n in range(keys)]
    rng.shuffle(users)
    return write_csv(path, ["payment_id", "user", "cents", "note"],
                     [[str(i), users[i % keys], str(rng.randrange(-5_000, 50_000)), "card, online"]
                      for i in range(RECORDS)])


def peak_bytes(call) -> int:
    """tracemalloc's peak while call() runs: every Python allocation, the csv module's included."""
    gc.collect()
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.perf
@pytest.mark.timeout(120)
def test_group_sum_csv_peak_memory_does_not_grow_with_the_number_of_keys(tmp_path):
    few, many = payments(tmp_path / "few.csv", FEW_KEYS), payments(tmp_path / "many.csv", MANY_KEYS)
    dst = tmp_path / "totals.csv"
    yours = {}
    for name, src in (("few", few), ("many", many)):
        yours[name] = peak_bytes(lambda src=src: group_sum_csv(src, dst, "user", "cents",
                                                               partition_bytes=BUDGET, tmp_dir=tmp_path))
        assert len(read_groups(dst)[1]) == {"few": FEW_KEYS, "many": MANY_KEYS}[name], f"wrong groups for {name}.csv"
    dict_few = peak_bytes(lambda: one_dict(few, "user", "cents"))
    dict_many = peak_bytes(lambda: one_dict(many, "user", "cents"))
    mib = 2**20
    report = (f"tracemalloc peak with {FEW_KEYS:,} keys / {MANY_KEYS:,} keys ({RECORDS:,} records, "
              f"partition_bytes={BUDGET}): yours {yours['few'] / mib:.2f} / {yours['many'] / mib:.2f} MiB, "
              f"one dict of every key {dict_few / mib:.2f} / {dict_many / mib:.2f} MiB")
    assert dict_many - dict_few > 4 * mib, f"the test's own baseline did not grow: {report}"
    assert max(yours.values()) < PEAK_LIMIT, f"{report}; allowed {PEAK_LIMIT / mib:.0f} MiB: keep only one partition's keys"
    assert yours["many"] - yours["few"] < (dict_many - dict_few) / 4, (
        f"{report}: your peak grows with the number of keys; a partition's dict must be dropped before the next one")


# -- benchmark ------------------------------------------------------------------------------------------------

def one_dict_group_sum(src, dst, key, value) -> int:
    """The naive contender: one dict of every key, then write it out."""
    groups = one_dict(Path(src), key, value)
    with open(dst, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow((key, "total", "count"))
        writer.writerows((k, total, count) for k, (total, count) in groups.items())
    return len(groups)


@pytest.mark.perf
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("contender", CONTENDERS)
def test_benchmark_group_sum_csv(benchmark, contender, bench_data, tmp_path):
    # users=10**9: nearly every user_id is new, the worst case for memory. The sum of transaction ids
    # means nothing; the work (one group per user) is what is timed.
    src = bench_data("transactions", fmt="csv", users=10**9)
    race(benchmark, "mock.python.big_csv", "group_sum_csv", contender, one_dict_group_sum,
         src, tmp_path / "totals.csv", "user_id", "transaction_id")
