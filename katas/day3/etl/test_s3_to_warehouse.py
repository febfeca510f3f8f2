"""Tests for the S3-to-warehouse pipeline: run `pytest katas/day3/etl/test_s3_to_warehouse.py`.

read_object and transform are checked alone (no services), transform also against a row-by-row
oracle written straight from the docstring. The pipeline tests use moto for S3 (`aws`,
`aws_session`) and a fresh PostgreSQL database (`pg`) as the warehouse, with raw objects cut from
data_gen's `transactions` data set.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from datetime import datetime
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from katas.day3.etl.s3_to_warehouse import (
    FX_PPM,
    MAX_INVALID_SHARE,
    RAW_COLUMNS,
    STATUSES,
    WAREHOUSE_COLUMNS,
    BadObject,
    ObjectResult,
    RunReport,
    Transformed,
    ensure_schema,
    pending_objects,
    read_object,
    run,
    transform,
)

services = pytest.mark.needs("aws", "pg")
HEADER = ",".join(RAW_COLUMNS)


def body(*records: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *records]) + "\n").encode("utf-8")


def tx(tid=1, uid=7, amount="10.00", currency="USD", status="completed", region="north",
       ts="2024-05-01T10:00:00") -> str:
    return f"{tid},{uid},{amount},{currency},{status},{region},{ts}"


# ---------------------------------------------------------------------------------------------
# The oracle: one row at a time, straight from the docstring
# ---------------------------------------------------------------------------------------------

ID = re.compile(r"[0-9]{1,18}")
AMOUNT = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,2})?")
TS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")


def oracle_row(raw: dict) -> tuple | None:
    """The warehouse row of one raw record, or None when a rule fails."""
    v = {column: str(raw.get(column, "")).strip() for column in RAW_COLUMNS}
    currency, status, region = v["currency"].upper(), v["status"].lower(), v["region"].lower()
    if not all(ID.fullmatch(v[c]) and int(v[c]) >= 1 for c in ("transaction_id", "user_id")):
        return None
    if not AMOUNT.fullmatch(v["amount"]) or currency not in FX_PPM or status not in STATUSES or not region:
        return None
    if not TS.fullmatch(v["ts"]):
        return None
    try:
        ts = datetime.strptime(v["ts"], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    cents = int(Decimal(v["amount"]) * 100)
    usd = (cents * FX_PPM[currency] + 500_000) // 1_000_000
    return (int(v["transaction_id"]), int(v["user_id"]), cents, currency, usd, status, region, ts, ts.date())


def oracle(records: list[dict]) -> tuple[list[tuple], int, int]:
    """(rows in file order, the last of each transaction_id kept; invalid count; duplicates count)."""
    last: dict[int, tuple[int, tuple]] = {}
    invalid = valid = 0
    for position, record in enumerate(records):
        out = oracle_row(record)
        if out is None:
            invalid += 1
            continue
        valid += 1
        last.pop(out[0], None)
        last[out[0]] = (position, out)
    rows = [out for _, out in sorted(last.values())]
    return rows, invalid, valid - len(rows)


def rows_of(frame: pd.DataFrame) -> list[tuple]:
    """A transformed frame as plain Python tuples, comparable with the oracle's."""
    out = []
    for record in frame[list(WAREHOUSE_COLUMNS)].itertuples(index=False, name=None):
        *head, ts, day = record
        out.append((*(x.item() if hasattr(x, "item") else x for x in head),
                    pd.Timestamp(ts).to_pydatetime(), pd.Timestamp(day).date()))
    return out


def frame_of(*records: dict | str) -> pd.DataFrame:
    """A raw frame of text, as read_object returns it."""
    dicts = [dict(zip(RAW_COLUMNS, r.split(","))) if isinstance(r, str) else r for r in records]
    return pd.DataFrame(dicts, columns=list(RAW_COLUMNS), dtype=object).fillna("")


def transformed(raw: pd.DataFrame) -> Transformed:
    got = transform(raw)
    assert isinstance(got, tuple) and len(got) == 3, f"transform returned {got!r}, expected Transformed(frame, invalid, duplicates)"
    return got


# ---------------------------------------------------------------------------------------------
# read_object: what makes an OBJECT bad
# ---------------------------------------------------------------------------------------------

BAD_OBJECTS = {
    "empty body": (b"", "a.csv", "empty"),
    "only blank lines": (b"\n\n", "a.csv", ""),
    "not gzip though the key says .gz": (body(tx()), "a.csv.gz", "gzip"),
    "a truncated gzip stream": (gzip.compress(body(tx()))[:-12], "a.csv.gz", "gzip"),
    "Latin-1 bytes": (body(tx(region="zürich")).replace("ü".encode(), b"\xfc"), "a.csv", "utf-8"),
    "a header without amount and ts": (body("1,7,USD,completed,north", header="transaction_id,user_id,currency,status,region"),
                                       "a.csv", "missing columns: amount, ts"),
    "a JSON document named .csv": (b'{"transaction_id": 1, "amount": 10}\n', "a.csv", "missing columns"),
    "a later record with one field too many": (body(tx(1), tx(2) + ",extra"), "a.csv", "malformed"),
    "the first record with one field too many (pandas would shift the columns)": (body(tx(1) + ",extra", tx(2)),
                                                                                  "a.csv", "malformed"),
}


@pytest.mark.parametrize("data,key,fragment", BAD_OBJECTS.values(), ids=BAD_OBJECTS.keys())
def test_read_object_refuses_an_object_that_cannot_be_read(data, key, fragment):
    try:
        got = read_object(data, key)
    except BadObject as exc:
        assert fragment.lower() in str(exc).lower(), \
            f"read_object({data[:60]!r}, {key!r}) raised BadObject({str(exc)!r}), expected it to mention {fragment!r}"
    else:
        pytest.fail(f"read_object({data[:60]!r}, {key!r}) returned a frame of {len(got)} rows, expected BadObject")


GOOD_OBJECTS = {
    "a header and no records": (body(), "a.csv", []),
    "one record": (body(tx(1)), "a.csv", [tx(1)]),
    "gzip": (gzip.compress(body(tx(1), tx(2))), "day/a.csv.gz", [tx(1), tx(2)]),
    "a UTF-8 BOM and CRLF line ends": (b"\xef\xbb\xbf" + body(tx(1)).replace(b"\n", b"\r\n"), "a.csv", [tx(1)]),
    "NA, null and empty stay text": (body("NA,null,,N/A,NaN,none,"), "a.csv", ["NA,null,,N/A,NaN,none,"]),
    "a short record reads its missing fields as empty": (body("1,7,10.00"), "a.csv", ["1,7,10.00,,,,"]),
    "ids with leading zeros stay text": (body(tx("007", "0042")), "a.csv", [tx("007", "0042")]),
}


@pytest.mark.parametrize("data,key,want", GOOD_OBJECTS.values(), ids=GOOD_OBJECTS.keys())
def test_read_object_returns_every_record_as_text(data, key, want):
    try:
        got = read_object(data, key)
    except BadObject as exc:
        pytest.fail(f"read_object({data[:60]!r}, {key!r}) raised BadObject({str(exc)!r}); the object is readable")
    records = got[list(RAW_COLUMNS)].values.tolist()
    expected = [r.split(",") for r in want]
    assert records == expected, f"read_object({data[:60]!r}, {key!r}) gave records {records}, expected {expected}"
    assert all(isinstance(v, str) for row in records for v in row), f"read_object gave non-text values: {records}"


def test_read_object_keeps_extra_columns_out_of_the_way():
    got = read_object(body(tx(1) + ",note", header=HEADER + ",comment"), "a.csv")
    assert got[list(RAW_COLUMNS)].values.tolist() == [tx(1).split(",")], f"read_object gave {got.to_dict('records')}"


# ---------------------------------------------------------------------------------------------
# transform: what makes a ROW invalid, and what a valid row becomes
# ---------------------------------------------------------------------------------------------

INVALID_ROWS = {
    "transaction_id empty": tx(tid=""),
    "transaction_id zero": tx(tid="0"),
    "transaction_id negative": tx(tid="-3"),
    "transaction_id with a decimal point": tx(tid="1.0"),
    "transaction_id of 19 digits": tx(tid="1" * 19),
    "transaction_id in Arabic-Indic digits": tx(tid="٣"),
    "user_id not a number": tx(uid="u-7"),
    "amount as a word": tx(amount="ten"),
    "amount empty": tx(amount=""),
    "amount with three decimals": tx(amount="1.999"),
    "amount in exponent form": tx(amount="1e3"),
    "amount NaN": tx(amount="NaN"),
    "amount with 11 digits before the point": tx(amount="12345678901"),
    "amount with a trailing point": tx(amount="5."),
    "currency unknown": tx(currency="JPY"),
    "currency empty": tx(currency=""),
    "status unknown": tx(status="refunded"),
    "region empty": tx(region="  "),
    "ts February 29 of a common year": tx(ts="2023-02-29T10:00:00"),
    "ts with a space instead of T": tx(ts="2024-05-01 10:00:00"),
    "ts without seconds": tx(ts="2024-05-01T10:00"),
    "ts hour 24": tx(ts="2024-05-01T24:00:00"),
    "ts one-digit month": tx(ts="2024-5-01T10:00:00"),
    "ts empty": tx(ts=""),
}


@pytest.mark.parametrize("record", INVALID_ROWS.values(), ids=INVALID_ROWS.keys())
def test_a_row_breaking_a_rule_is_dropped_and_counted(record):
    frame, invalid, duplicates = transformed(frame_of(record, tx(99)))
    assert (invalid, duplicates) == (1, 0), \
        f"transform([{record!r}, a good row]) counted invalid={invalid}, duplicates={duplicates}, expected 1, 0"
    assert frame["transaction_id"].tolist() == [99], \
        f"transform([{record!r}, a good row 99]) kept transaction_ids {frame['transaction_id'].tolist()}, expected [99]"


VALID_ROWS = {
    "a clean USD row": (tx(1, 7, "55.27"), (1, 7, 5527, "USD", 5527, "completed", "north")),
    "padded and re-cased text": ("  2 , 8 , 18.56 , eur , Completed , NORTH ,2024-05-01T10:00:00",
                                 (2, 8, 1856, "EUR", 2014, "completed", "north")),
    "an amount without decimals": (tx(amount="7"), (1, 7, 700, "USD", 700, "completed", "north")),
    "an amount with one decimal": (tx(amount="19.9"), (1, 7, 1990, "USD", 1990, "completed", "north")),
    "a refund": (tx(amount="-3.50", currency="GBP"), (1, 7, -350, "GBP", -444, "completed", "north")),
    "EUR exactly on a half cent rounds up": (tx(amount="1.00", currency="EUR"), (1, 7, 100, "EUR", 109, "completed", "north")),
    "a refund exactly on a half cent rounds up too": (tx(amount="-1.00", currency="EUR"),
                                                      (1, 7, -100, "EUR", -108, "completed", "north")),
    "the largest amount": (tx(amount="9999999999.99"), (1, 7, 999999999999, "USD", 999999999999, "completed", "north")),
    "ids with leading zeros": (tx("007", "0042"), (7, 42, 1000, "USD", 1000, "completed", "north")),
    "the largest 18-digit id": (tx("9" * 18), (10**18 - 1, 7, 1000, "USD", 1000, "completed", "north")),
    "a pending row in another region": (tx(status="PENDING", region="Overseas"), (1, 7, 1000, "USD", 1000, "pending", "overseas")),
}


@pytest.mark.parametrize("record,want", VALID_ROWS.values(), ids=VALID_ROWS.keys())
def test_a_valid_row_is_cleaned_and_derived(record, want):
    frame, invalid, _ = transformed(frame_of(record))
    got = rows_of(frame)
    ts = datetime(2024, 5, 1, 10)
    expected = [(*want, ts, ts.date())]
    assert (got, invalid) == (expected, 0), f"transform([{record!r}]) gave rows {got}, invalid={invalid}; expected {expected}, 0"


def test_an_id_above_2_to_the_53_keeps_every_digit_even_beside_a_bad_row():
    big = 2**53 + 1
    frame, invalid, _ = transformed(frame_of(tx(big, big), tx("bad")))
    got = frame[["transaction_id", "user_id"]].values.tolist()
    assert (got, invalid) == ([[big, big]], 1), \
        f"transform kept ids {got} (invalid={invalid}), expected [[{big}, {big}]]: did they pass through float64?"


def test_duplicates_keep_the_last_valid_row_in_file_order():
    raw = frame_of(tx(5, status="pending"), tx(6), tx(5, status="completed", amount="12.00"), tx(7),
                   tx(5, amount="oops"), tx(6, status="failed"))
    frame, invalid, duplicates = transformed(raw)
    got = [(r[0], r[2], r[5]) for r in rows_of(frame)]
    want = [(5, 1200, "completed"), (7, 1000, "completed"), (6, 1000, "failed")]
    assert (got, invalid, duplicates) == (want, 1, 2), (
        f"transform gave (id, cents, status) {got}, invalid={invalid}, duplicates={duplicates}; expected {want}, 1, 2: "
        "the last VALID row of each id wins and sits where it was in the file (drop_duplicates keeps the first by default)")


@pytest.mark.parametrize("records", [[tx(1), tx(2)], []], ids=["two rows", "no rows"])
def test_transform_returns_the_warehouse_columns_with_their_dtypes(records):
    raw = frame_of(*records).assign(comment="x")
    frame, _, _ = transformed(raw)
    assert list(frame.columns) == list(WAREHOUSE_COLUMNS), f"columns {list(frame.columns)}, expected {list(WAREHOUSE_COLUMNS)}"
    dtypes = {c: str(frame[c].dtype) for c in frame.columns}
    for column in ("transaction_id", "user_id", "amount_cents", "amount_usd_cents"):
        assert dtypes[column] == "int64", f"{column} has dtype {dtypes[column]}, expected int64: {dtypes}"
    for column in ("ts", "tx_date"):
        assert dtypes[column] == "datetime64[ns]", f"{column} has dtype {dtypes[column]}, expected datetime64[ns]"
    assert list(frame.index) == list(range(len(records))), f"the index is {list(frame.index)}, expected 0..n-1"


# Each field drawn from good values (some padded or re-cased), bad values and a small id pool, so
# duplicates, invalid rows and both at once are common.
FIELDS = {
    "transaction_id": st.sampled_from(["1", "2", "3", " 4 ", "05", "0", "", "x", "9007199254740993"]),
    "user_id": st.sampled_from(["7", "0042", "u", ""]),
    "amount": st.sampled_from(["10.00", "-0.01", "0.05", "1.5", "7", " 18.56 ", "9999999999.99", "1.999", "NaN",
                               "1e3", "", "ten"]),
    "currency": st.sampled_from(["USD", "eur", " GBP ", "JPY", "", "Usd"]),
    "status": st.sampled_from(["completed", "FAILED", " pending", "done", ""]),
    "region": st.sampled_from(["north", " South ", "", "ÜBERSEE", "east"]),
    "ts": st.sampled_from(["2024-05-01T10:00:00", "2024-02-29T23:59:59", " 2023-12-31T00:00:00 ",
                           "2023-02-29T10:00:00", "2024-05-01 10:00:00", "2024-13-01T00:00:00", "", "yesterday"]),
}


# No explain phase: on a failure it reruns the test many times to annotate the example, which is slow.
@settings(max_examples=60, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])
@given(st.lists(st.fixed_dictionaries(FIELDS), max_size=15))
def test_transform_matches_the_row_by_row_oracle(records):
    frame, invalid, duplicates = transformed(frame_of(*records))
    want = oracle(records)
    got = (rows_of(frame), invalid, duplicates)
    assert got == want, f"transform({records}) gave (rows, invalid, duplicates) {got}, expected {want}"


# ---------------------------------------------------------------------------------------------
# The pipeline: S3 (moto) -> pandas -> PostgreSQL
# ---------------------------------------------------------------------------------------------

BUCKET, PREFIX = "raw", "tx/"


@pytest.fixture
def s3(aws, aws_session):
    client = aws_session.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def day(dataset):
    """Three days of raw objects cut from data_gen's transactions (36 rows), the third one dirty."""
    with open(dataset("transactions", rows=36, seed=5, users=50), newline="") as handle:
        lines = handle.read().splitlines()
    header, records = lines[0], lines[1:]
    third = records[24:]
    third[1] = third[1].replace(",", " , ").upper()                        # padded and re-cased: still valid
    third[3] = ",".join(third[3].split(",")[:2] + ["ten"] + third[3].split(",")[3:])   # invalid amount
    third.append(third[5].replace("completed", "failed").replace("pending", "failed"))  # a later correction
    return {
        "tx/2024-05-01.csv": "\n".join([header, *records[:12]]).encode() + b"\n",
        "tx/2024-05-02.csv.gz": gzip.compress("\n".join([header, *records[12:24]]).encode() + b"\n"),
        "tx/2024-05-03.csv": "\n".join([header, *third]).encode() + b"\n",
    }


def put(s3, key: str, data: bytes) -> str:
    return s3.put_object(Bucket=BUCKET, Key=key, Body=data)["ETag"].strip('"')


def records_of(key: str, data: bytes) -> list[dict]:
    text = (gzip.decompress(data) if key.endswith(".gz") else data).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


class Warehouse:
    """The oracle of the whole pipeline: load good objects one by one, each replacing its own rows."""

    def __init__(self):
        self.rows: dict[int, tuple] = {}

    def load(self, key: str, data: bytes) -> None:
        self.rows = {i: row for i, row in self.rows.items() if row[-1] != key}
        for row in oracle(records_of(key, data))[0]:
            self.rows[row[0]] = (*row, key)

    def expected(self) -> list[tuple]:
        return [self.rows[i] for i in sorted(self.rows)]


def fact(conn) -> list[tuple]:
    return conn.execute(f"SELECT {', '.join(WAREHOUSE_COLUMNS)}, source_key FROM fact_transactions "
                        "ORDER BY transaction_id").fetchall()


def manifest(conn) -> list[tuple]:
    return conn.execute("SELECT s3_key, etag, status, rows FROM etl_manifest ORDER BY s3_key, status, etag").fetchall()


def versions(conn) -> dict:
    return dict(conn.execute("SELECT transaction_id, xmin::text FROM fact_transactions").fetchall())


def check_report(report, loaded: list[str], failed: list[str]) -> None:
    assert isinstance(report, RunReport), f"run returned {report!r}, expected a RunReport"
    assert (list(report.loaded), list(report.failed)) == (loaded, failed), \
        f"run loaded {list(report.loaded)} and failed {dict(report.failed)}; expected loaded {loaded}, failed {failed}"


@services
def test_run_loads_every_new_object_and_reports_each(s3, pg, day):
    etags = {key: put(s3, key, data) for key, data in day.items()}
    put(s3, "tx/broken.csv", body("1,7,USD,completed,north", header="transaction_id,user_id,currency,status,region"))
    put(s3, "tx/README.txt", b"not data")
    put(s3, "elsewhere/2024-05-01.csv", day["tx/2024-05-01.csv"])
    report = run(s3, pg, BUCKET, PREFIX)
    check_report(report, list(day), ["tx/broken.csv"])
    assert "missing columns: amount, ts" in report.failed["tx/broken.csv"], f"the reason is {report.failed['tx/broken.csv']!r}"
    want_results = {key: ObjectResult(etags[key], 12, 0, 0) for key in list(day)[:2]}
    want_results["tx/2024-05-03.csv"] = ObjectResult(etags["tx/2024-05-03.csv"], 11, 1, 1)   # 13 records
    assert report.loaded == want_results, f"run reported {report.loaded}, expected {want_results}"
    warehouse = Warehouse()
    for key, data in day.items():
        warehouse.load(key, data)
    assert fact(pg) == warehouse.expected(), \
        f"fact_transactions holds {len(fact(pg))} rows that differ from the oracle's {len(warehouse.expected())}"
    want_manifest = sorted([(key, etag, "loaded", want_results[key].rows) for key, etag in etags.items()]
                           + [("tx/broken.csv", s3.head_object(Bucket=BUCKET, Key="tx/broken.csv")["ETag"].strip('"'),
                               "bad", 0)])
    assert manifest(pg) == want_manifest, f"etl_manifest holds {manifest(pg)}, expected {want_manifest}"


@services
def test_a_rerun_reads_nothing_and_changes_nothing(s3, pg, day):
    for key, data in day.items():
        put(s3, key, data)
    put(s3, "tx/broken.csv", b"")
    run(s3, pg, BUCKET, PREFIX)
    rows, marks, entries = fact(pg), versions(pg), manifest(pg)
    again = run(s3, pg, BUCKET, PREFIX)
    check_report(again, [], [])
    assert (fact(pg), versions(pg), manifest(pg)) == (rows, marks, entries), \
        "the rerun changed or rewrote warehouse rows, or changed the manifest"


@services
def test_an_object_added_later_is_the_only_one_loaded(s3, pg, day):
    keys = list(day)
    for key in keys[:2]:
        put(s3, key, day[key])
    run(s3, pg, BUCKET, PREFIX)
    before = versions(pg)
    put(s3, keys[2], day[keys[2]])
    report = run(s3, pg, BUCKET, PREFIX)
    check_report(report, [keys[2]], [])
    after = versions(pg)
    assert {i: after[i] for i in before} == before, "loading the new object rewrote rows of the objects loaded before"


@services
def test_pending_objects_are_new_csv_and_gz_keys_by_key_and_etag(s3, pg):
    ensure_schema(pg)
    etags = {key: put(s3, key, body(tx())) for key in ["tx/b.csv", "tx/a.csv.gz", "tx/sub/c.csv", "tx/d.csv", "tx/e.csv"]}
    for other in ["tx/notes.txt", "tx/f.csv.bak", "tx/g.json", "tx-old/a.csv"]:
        put(s3, other, body(tx()))
    pg.execute("INSERT INTO etl_manifest (s3_key, etag, status, rows, reason) VALUES "
               "('tx/d.csv', %s, 'loaded', 1, NULL), ('tx/e.csv', %s, 'bad', 0, 'x'), ('tx/b.csv', 'older', 'loaded', 1, NULL)",
               [etags["tx/d.csv"], etags["tx/e.csv"]])
    got = pending_objects(s3, pg, BUCKET, PREFIX)
    want = sorted((key, etags[key]) for key in ["tx/b.csv", "tx/a.csv.gz", "tx/sub/c.csv"])
    assert got == want, (f"pending_objects returned {got}, expected {want}: d.csv is loaded and e.csv known bad with "
                         "their current ETags; b.csv changed since it was loaded")


@services
def test_a_rewritten_object_replaces_its_own_rows_and_no_others(s3, pg):
    put(s3, "tx/a.csv", body(tx(1), tx(2), tx(3)))
    put(s3, "tx/b.csv", body(tx(10), tx(11)))
    run(s3, pg, BUCKET, PREFIX)
    others = {i: v for i, v in versions(pg).items() if i >= 10}
    put(s3, "tx/a.csv", body(tx(1, status="failed"), tx(3), tx(4)))
    report = run(s3, pg, BUCKET, PREFIX)
    check_report(report, ["tx/a.csv"], [])
    got = [(r[0], r[5], r[-1]) for r in fact(pg)]
    want = [(1, "failed", "tx/a.csv"), (3, "completed", "tx/a.csv"), (4, "completed", "tx/a.csv"),
            (10, "completed", "tx/b.csv"), (11, "completed", "tx/b.csv")]
    assert got == want, (f"after a.csv was rewritten the warehouse holds (id, status, source) {got}, expected {want}: "
                         "transaction 2 is gone from the new version, so it must go from the warehouse")
    assert {i: v for i, v in versions(pg).items() if i >= 10} == others, "b.csv's rows were rewritten: only a.csv changed"


@services
def test_a_bad_object_is_recorded_once_and_loads_when_fixed(s3, pg):
    put(s3, "tx/a.csv", body(tx(1), tx(2) + ",extra"))
    first = run(s3, pg, BUCKET, PREFIX)
    check_report(first, [], ["tx/a.csv"])
    second = run(s3, pg, BUCKET, PREFIX)
    check_report(second, [], [])
    put(s3, "tx/a.csv", body(tx(1), tx(2)))
    third = run(s3, pg, BUCKET, PREFIX)
    check_report(third, ["tx/a.csv"], [])
    assert [r[0] for r in fact(pg)] == [1, 2], f"the fixed object loaded rows {[r[0] for r in fact(pg)]}, expected [1, 2]"


@services
def test_a_bad_new_version_keeps_the_last_good_rows(s3, pg):
    put(s3, "tx/a.csv", body(tx(1), tx(2)))
    run(s3, pg, BUCKET, PREFIX)
    rows = fact(pg)
    put(s3, "tx/a.csv", b"\x00\xff not a csv")
    report = run(s3, pg, BUCKET, PREFIX)
    check_report(report, [], ["tx/a.csv"])
    assert fact(pg) == rows, f"a bad new version changed the warehouse to {fact(pg)}; the last good rows must stay"


BUDGET = {
    "4 invalid rows of 8: within the budget": (4, True),
    "5 invalid rows of 8: more than half": (5, False),
}


@services
@pytest.mark.parametrize("bad,loads", BUDGET.values(), ids=BUDGET.keys())
def test_an_object_with_too_many_invalid_rows_is_bad(s3, pg, bad, loads):
    assert MAX_INVALID_SHARE == 0.5
    put(s3, "tx/a.csv", body(*[tx(i, amount="ten" if i <= bad else "1.00") for i in range(1, 9)]))
    report = run(s3, pg, BUCKET, PREFIX)
    if loads:
        check_report(report, ["tx/a.csv"], [])
        assert report.loaded["tx/a.csv"][1:] == (4, 4, 0), f"run reported {report.loaded['tx/a.csv']}, expected 4 rows, 4 invalid"
    else:
        check_report(report, [], ["tx/a.csv"])
        assert "5 of 8" in report.failed["tx/a.csv"], f"the reason is {report.failed['tx/a.csv']!r}, expected '... 5 of 8'"
        assert fact(pg) == [], f"an object over the budget loaded rows {fact(pg)}"


REFUSE = """
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'region explode is refused by the warehouse'; END $$;
CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON fact_transactions
FOR EACH ROW WHEN (NEW.region = 'explode') EXECUTE FUNCTION refuse();
"""


@services
def test_a_load_that_fails_in_the_database_is_rolled_back_reported_and_retried(s3, pg):
    put(s3, "tx/b.csv", body(tx(1), tx(2)))
    run(s3, pg, BUCKET, PREFIX)
    pg.execute(REFUSE)
    before = fact(pg)
    new_b = put(s3, "tx/b.csv", body(tx(1, status="failed"), tx(3, region="explode")))
    put(s3, "tx/a.csv", body(tx(10)))
    put(s3, "tx/c.csv", body(tx(20)))
    report = run(s3, pg, BUCKET, PREFIX)
    check_report(report, ["tx/a.csv", "tx/c.csv"], ["tx/b.csv"])
    assert "refused by the warehouse" in report.failed["tx/b.csv"], f"the reason is {report.failed['tx/b.csv']!r}"
    b_rows = [r for r in fact(pg) if r[-1] == "tx/b.csv"]
    assert b_rows == before, (f"after b.csv's load failed its rows are {b_rows}, expected the previous version's {before}: "
                              "the delete, the inserts and the manifest row are one transaction")
    assert ("tx/b.csv", new_b) not in {(k, e) for k, e, *_ in manifest(pg)}, \
        "the failed load is in the manifest, so it would never be retried"
    pg.execute("DROP TRIGGER refuse ON fact_transactions")
    pg.execute("UPDATE fact_transactions SET region = region")   # nothing else may have changed either
    retry = run(s3, pg, BUCKET, PREFIX)
    check_report(retry, ["tx/b.csv"], [])
    got = [(r[0], r[5], r[6], r[-1]) for r in fact(pg)]
    want = [(1, "failed", "north", "tx/b.csv"), (3, "completed", "explode", "tx/b.csv"),
            (10, "completed", "north", "tx/a.csv"), (20, "completed", "north", "tx/c.csv")]
    assert got == want, f"after the retry the warehouse holds {got}, expected {want}"
