"""Tests for the S3-to-Redshift loader: run `pytest katas/day2/aws/test_s3_to_redshift.py`.

S3 is moto (the `aws` fixture); Redshift is a fresh PostgreSQL database per test (`pg` is an
autocommit psycopg connection to it, `pg_dsn` its DSN).
"""
import csv
import io
import itertools
import socket
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from katas.day2.aws.s3_to_redshift import (
    COLUMNS,
    BadFile,
    LoadError,
    LoadReport,
    Order,
    ensure_schema,
    list_new_files,
    load,
    main,
    merge,
    quarantine,
    stage,
    validate_csv,
)

pytestmark = pytest.mark.needs("aws", "pg")

BUCKET = "shop-raw"
PREFIX = "incoming/"
HEADER = "order_id,customer_id,order_date,amount,status"


def csv_bytes(*records: str, header: str = HEADER, end: str = "\n") -> bytes:
    """A file: the header, then each record on its own line, with a final line end."""
    return (end.join([header, *records]) + end).encode("utf-8")


@pytest.fixture
def s3(aws, aws_session):
    """A moto S3 client with the bucket made."""
    client = aws_session.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


def put(s3, key: str, body: bytes) -> str:
    return s3.put_object(Bucket=BUCKET, Key=key, Body=body)["ETag"].strip('"')


def keys(s3, prefix: str = "") -> list[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))


def target(conn) -> dict:
    """order_id -> (customer_id, order_date, amount, status) of the target table."""
    rows = conn.execute("SELECT order_id, customer_id, order_date, amount, status FROM orders").fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def row_versions(conn) -> dict:
    """order_id -> xmin: a row rewritten by an UPDATE (even to the same values) gets a new xmin."""
    return dict(conn.execute("SELECT order_id, xmin::text FROM orders").fetchall())


def ledger(conn) -> list[tuple]:
    return conn.execute("SELECT s3_key, etag, rows_loaded FROM etl_loaded_files ORDER BY s3_key, etag").fetchall()


def o(order_id, customer="c-1", day="2024-05-01", amount="10.00", status="new") -> Order:
    return Order(order_id, customer, date.fromisoformat(day), Decimal(amount), status)


def values(order: Order) -> tuple:
    return (order.customer_id, order.order_date, order.amount, order.status)


# ---------------------------------------------------------------------------------------------
# validate_csv: what makes a file good or bad
# ---------------------------------------------------------------------------------------------

GOOD_FILES = {
    "header only: a valid file with no rows": (csv_bytes(), []),
    "one record": (csv_bytes("1,c-17,2024-05-01,19.90,new"), [o(1, "c-17", "2024-05-01", "19.90", "new")]),
    "a UTF-8 BOM before the header (Excel writes one)":
        (b"\xef\xbb\xbf" + csv_bytes("1,c-1,2024-05-01,1.00,paid"), [o(1, amount="1.00", status="paid")]),
    "CRLF line ends": (csv_bytes("1,c-1,2024-05-01,1,new", "2,c-2,2024-05-02,2.5,paid", end="\r\n"),
                       [o(1, amount="1"), o(2, "c-2", "2024-05-02", "2.5", "paid")]),
    "no line end after the last record": (csv_bytes("7,c-7,2024-05-01,0,cancelled")[:-1],
                                          [o(7, "c-7", amount="0", status="cancelled")]),
    "quoted field holding a comma, a quote and a newline":
        (csv_bytes('3,"Smith, ""J""\nsecond line",2024-05-01,5.00,shipped'),
         [o(3, 'Smith, "J"\nsecond line', amount="5.00", status="shipped")]),
    "unicode customer, leap day, the largest bigint, the largest amount":
        (csv_bytes(f"{2**63 - 1},Zoë 東京,2024-02-29,9999999999.99,new"),
         [o(2**63 - 1, "Zoë 東京", "2024-02-29", "9999999999.99")]),
}


@pytest.mark.parametrize("data,want", GOOD_FILES.values(), ids=GOOD_FILES.keys())
def test_validate_returns_every_record_as_a_typed_order(data, want):
    try:
        got = validate_csv(data)
    except BadFile as exc:
        pytest.fail(f"validate_csv({data!r}) raised BadFile({str(exc)!r}); the file is valid")
    assert got == want, f"validate_csv({data!r}) returned {got}, expected {want}"
    assert all(isinstance(row, Order) for row in got), f"validate_csv returned {got!r}: expected a list of Order"


def good(order_id=1):
    return f"{order_id},c-{order_id},2024-05-01,10.00,new"


# name -> (file bytes, the line the reason must start with or None, fragments the reason must hold)
BAD_FILES = {
    "empty object": (b"", None, ["empty"]),
    "not UTF-8 (a Latin-1 export)": (csv_bytes("1,café,2024-05-01,1.00,new").replace("é".encode(), b"\xe9"),
                                     None, ["utf-8"]),
    "header with a renamed column": (csv_bytes(good(), header="id,customer_id,order_date,amount,status"),
                                     1, ["header"]),
    "header with columns reordered": (csv_bytes(good(), header="customer_id,order_id,order_date,amount,status"),
                                      1, ["header"]),
    "header with an extra column": (csv_bytes(good(), header=HEADER + ",note"), 1, ["header"]),
    "a record with a missing field on line 3": (csv_bytes(good(1), "2,c-2,2024-05-01,10.00"),
                                                3, ["expected 5 fields, got 4"]),
    "a record with an extra field": (csv_bytes("1,c-1,2024-05-01,10.00,new,x"), 2, ["expected 5 fields, got 6"]),
    "a blank line between records": (csv_bytes(good(1), "", good(2)), 3, ["expected 5 fields, got 0"]),
    "a stray quote inside a field": (csv_bytes('1,"c-1"x,2024-05-01,10.00,new'), 2, ["malformed"]),
    "order_id is not a number": (csv_bytes("abc,c-1,2024-05-01,10.00,new"), 2, ["order_id"]),
    "order_id is zero": (csv_bytes("0,c-1,2024-05-01,10.00,new"), 2, ["order_id"]),
    "order_id is negative": (csv_bytes("-4,c-1,2024-05-01,10.00,new"), 2, ["order_id"]),
    "order_id has a decimal point": (csv_bytes("1.0,c-1,2024-05-01,10.00,new"), 2, ["order_id"]),
    "order_id is past the bigint range": (csv_bytes(f"{2**63},c-1,2024-05-01,10.00,new"), 2, ["order_id"]),
    "customer_id is blank": (csv_bytes("1,   ,2024-05-01,10.00,new"), 2, ["customer_id"]),
    "customer_id holds a NUL, which PostgreSQL text cannot store":
        (csv_bytes("1,c\x001,2024-05-01,10.00,new"), 2, ["customer_id"]),
    "order_date is not a calendar date": (csv_bytes(good(1), "2,c-2,2023-02-29,10.00,new"), 3, ["order_date"]),
    "order_date with slashes": (csv_bytes("1,c-1,2024/05/01,10.00,new"), 2, ["order_date"]),
    "order_date without dashes": (csv_bytes("1,c-1,20240501,10.00,new"), 2, ["order_date"]),
    "amount is negative": (csv_bytes("1,c-1,2024-05-01,-1.00,new"), 2, ["amount"]),
    "amount has three decimals": (csv_bytes("1,c-1,2024-05-01,1.999,new"), 2, ["amount"]),
    "amount in exponent form": (csv_bytes("1,c-1,2024-05-01,1e3,new"), 2, ["amount"]),
    "amount is NaN": (csv_bytes("1,c-1,2024-05-01,NaN,new"), 2, ["amount"]),
    "amount is empty": (csv_bytes("1,c-1,2024-05-01,,new"), 2, ["amount"]),
    "amount has 11 digits before the point": (csv_bytes("1,c-1,2024-05-01,12345678901.00,new"), 2, ["amount"]),
    "status is unknown": (csv_bytes("1,c-1,2024-05-01,10.00,lost"), 2, ["status"]),
    "status in upper case": (csv_bytes("1,c-1,2024-05-01,10.00,PAID"), 2, ["status"]),
    "the same order_id twice": (csv_bytes(good(1), good(2), good(1)), 4, ["duplicate order_id"]),
}


@pytest.mark.parametrize("data,line,fragments", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_validate_rejects_a_bad_file_with_a_reason_naming_the_line_and_the_problem(data, line, fragments):
    try:
        got = validate_csv(data)
    except BadFile as exc:
        reason = str(exc)
    else:
        pytest.fail(f"validate_csv({data!r}) returned {got}, expected BadFile")
    if line is not None:
        assert reason.startswith(f"line {line}: "), \
            f"validate_csv({data!r}) raised BadFile({reason!r}); the reason must start with 'line {line}: '"
    for fragment in fragments:
        assert fragment.lower() in reason.lower(), \
            f"validate_csv({data!r}) raised BadFile({reason!r}); the reason must mention {fragment!r}"


customers = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    min_size=1, max_size=12).filter(lambda s: s.strip())
amounts = st.one_of(st.integers(0, 9_999_999_999).map(str),
                    st.integers(0, 999_999_999_999).map(lambda c: f"{c // 100}.{c % 100:02d}"))
records = st.tuples(customers, st.dates(), amounts, st.sampled_from(["new", "paid", "shipped", "cancelled"]))
files = st.dictionaries(st.integers(1, 2**63 - 1), records, max_size=8)


def write_csv(rows: dict, end: str) -> bytes:
    out = io.StringIO(newline="")
    # QUOTE_MINIMAL only quotes the characters of its own line terminator: with "\n" a bare "\r"
    # would go out unquoted, so quote everything then.
    writer = csv.writer(out, lineterminator=end, quoting=csv.QUOTE_MINIMAL if end == "\r\n" else csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for order_id, (customer, day, amount, status) in rows.items():
        writer.writerow([order_id, customer, day.isoformat(), amount, status])
    return out.getvalue().encode("utf-8")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(rows=files, end=st.sampled_from(["\n", "\r\n"]))
def test_any_file_written_by_csv_writer_round_trips_through_validate(rows, end):
    data = write_csv(rows, end)
    want = [Order(i, c, d, Decimal(a), s) for i, (c, d, a, s) in rows.items()]
    got = validate_csv(data)
    assert got == want, f"validate_csv({data!r}) returned {got}, expected {want}"


BAD_VALUES = {
    "order_id": ["0", "-1", "1.5", "x", "", str(2**63), " 7"],
    "customer_id": ["", "   ", "a\x00b"],
    "order_date": ["2023-02-29", "2024-13-01", "24-01-01", "", "2024-1-05"],
    "amount": ["-0.01", "1.234", "1e2", "", " 1.00", "NaN", "12345678901", "1."],
    "status": ["PAID", "", "lost", " new"],
}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(rows=st.dictionaries(st.integers(1, 10**6), st.tuples(customers.filter(lambda s: "\n" not in s and "\r" not in s),
                                                              st.dates(), amounts, st.just("new")),
                            min_size=1, max_size=6),
       data=st.data())
def test_one_bad_field_anywhere_is_reported_on_its_line_with_its_column(rows, data):
    index = data.draw(st.integers(0, len(rows) - 1), label="record")
    column = data.draw(st.sampled_from(list(BAD_VALUES)), label="column")
    bad = data.draw(st.sampled_from(BAD_VALUES[column]), label="bad value")
    table = [[str(i), c, d.isoformat(), a, s] for i, (c, d, a, s) in rows.items()]
    table[index][COLUMNS.index(column)] = bad
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([list(COLUMNS), *table])
    file = out.getvalue().encode("utf-8")
    try:
        got = validate_csv(file)
    except BadFile as exc:
        reason = str(exc)
    else:
        pytest.fail(f"validate_csv({file!r}) returned {got}; {column}={bad!r} on line {index + 2} must raise BadFile")
    assert reason.startswith(f"line {index + 2}: ") and column in reason, \
        f"validate_csv({file!r}) raised BadFile({reason!r}); expected 'line {index + 2}: ...' naming {column!r}"


# ---------------------------------------------------------------------------------------------
# list_new_files: what counts as new
# ---------------------------------------------------------------------------------------------

def test_list_new_files_returns_csv_keys_under_the_prefix_sorted_with_their_etags(s3, pg):
    ensure_schema(pg)
    etags = {key: put(s3, key, csv_bytes(good())) for key in
             ["incoming/b.csv", "incoming/a.csv", "incoming/2024/05/c.csv", "incoming/UPPER.CSV"]}
    for other in ["incoming/README.txt", "incoming/_SUCCESS", "incoming/", "incoming-old/x.csv",
                  "other/d.csv", "quarantine/incoming/old.csv"]:
        put(s3, other, csv_bytes(good()))
    got = list_new_files(s3, pg, BUCKET, PREFIX)
    want = sorted(etags.items())
    assert got == want, f"list_new_files(s3, conn, {BUCKET!r}, {PREFIX!r}) returned {got}, expected {want}"
    got_all = [key for key, _ in list_new_files(s3, pg, BUCKET, "")]
    want_all = sorted([*etags, "incoming-old/x.csv", "other/d.csv"])
    assert got_all == want_all, \
        f"list_new_files(prefix='') returned {got_all}, expected {want_all}: keys under quarantine/ are never new"


def test_list_new_files_skips_ledger_files_unless_the_etag_changed(s3, pg):
    ensure_schema(pg)
    etag_a = put(s3, "incoming/a.csv", csv_bytes(good(1)))
    etag_b = put(s3, "incoming/b.csv", csv_bytes(good(2)))
    pg.execute("INSERT INTO etl_loaded_files (s3_key, etag, rows_loaded) VALUES (%s, %s, 1), (%s, %s, 1)",
               ["incoming/a.csv", etag_a, "incoming/b.csv", "an-older-version"])
    got = list_new_files(s3, pg, BUCKET, PREFIX)
    want = [("incoming/b.csv", etag_b)]
    assert got == want, (f"list_new_files returned {got}, expected {want}: a.csv is in the ledger with its "
                         "current ETag; b.csv was rewritten since it was loaded")


def test_list_new_files_follows_every_page_of_the_listing(s3, pg):
    """S3 returns at most 1,000 keys per call. To keep the test fast, this client's pages are cut
    to 10 keys (a botocore hook sets MaxKeys), so 25 keys take three pages."""
    def small_pages(params, **_):
        params["MaxKeys"] = 10
    s3.meta.events.register("before-parameter-build.s3.ListObjectsV2", small_pages)
    s3.meta.events.register("before-parameter-build.s3.ListObjects", small_pages)
    ensure_schema(pg)
    done = [(f"incoming/{i:05d}.csv", put(s3, f"incoming/{i:05d}.csv", b"x"), 0) for i in range(24)]
    with pg.cursor() as cur:
        cur.executemany("INSERT INTO etl_loaded_files (s3_key, etag, rows_loaded) VALUES (%s, %s, %s)", done)
    last_etag = put(s3, "incoming/00024.csv", b"y")
    got = list_new_files(s3, pg, BUCKET, PREFIX)
    want = [("incoming/00024.csv", last_etag)]
    assert got == want, (f"list_new_files returned {got}, expected {want}: the 25 keys come in pages of 10 "
                         "here (1,000 on real S3), so only a paginator (or a ContinuationToken loop) "
                         "reaches the last one; the first 24 are in the ledger")


# ---------------------------------------------------------------------------------------------
# quarantine, stage, merge
# ---------------------------------------------------------------------------------------------

def test_quarantine_copies_with_an_ascii_reason_then_deletes_the_original(s3):
    key = "incoming/bad file é.csv"
    body = csv_bytes("1,Zoë,2024-05-01,ten,new")
    put(s3, key, body)
    reason = "line 2: amount 'ten' is not a decimal (customer Zoë) " + "x" * 3000
    got = quarantine(s3, BUCKET, key, reason)
    want = "quarantine/incoming/bad file é.csv"
    assert got == want, f"quarantine(s3, {BUCKET!r}, {key!r}, reason) returned {got!r}, expected {want!r}"
    assert keys(s3) == [want], f"after quarantine the bucket holds {keys(s3)}, expected only {[want]}"
    moved = s3.get_object(Bucket=BUCKET, Key=want)
    assert moved["Body"].read() == body, "the quarantined copy must hold the original bytes"
    stored = moved["Metadata"].get("reason", "")
    assert stored.startswith("line 2: amount 'ten' is not a decimal (customer Zo\\xeb)"), \
        f"metadata reason is {stored[:80]!r}...: expected the reason with non-ASCII backslash-escaped"
    assert stored.isascii() and 0 < len(stored) <= 1000, \
        f"metadata reason has {len(stored)} characters: S3 metadata is ASCII and at most 2 KB; cut it to 1,000"


def test_stage_puts_rows_in_staging_and_merge_moves_them_the_last_file_winning(pg):
    ensure_schema(pg)
    a = [o(1, status="new"), o(2, "c-2")]
    b = [o(1, status="paid", amount="12.50"), o(3, "c-3")]
    assert stage(pg, "incoming/b.csv", b) == 2, "stage must return the number of rows it copied"
    assert stage(pg, "incoming/a.csv", a) == 2, "stage must return the number of rows it copied"
    staged = pg.execute("SELECT source_key, order_id, status FROM orders_staging ORDER BY 1, 2").fetchall()
    want_staged = [("incoming/a.csv", 1, "new"), ("incoming/a.csv", 2, "new"),
                   ("incoming/b.csv", 1, "paid"), ("incoming/b.csv", 3, "new")]
    assert staged == want_staged, f"orders_staging holds {staged}, expected {want_staged}"
    assert target(pg) == {}, f"after stage() the target holds {target(pg)}: only merge() may touch it"
    changed = merge(pg)
    want = {1: values(b[0]), 2: values(a[1]), 3: values(b[1])}
    assert target(pg) == want, (f"after merge() the target is {target(pg)}, expected {want}: order 1 is in "
                                "a.csv and b.csv, and b.csv sorts last, even though it was staged first")
    assert changed == 3, f"merge() returned {changed}, expected 3 (three target rows inserted)"
    left = pg.execute("SELECT count(*) FROM orders_staging").fetchone()[0]
    assert left == 0, f"orders_staging still holds {left} rows after merge(): empty it"


def test_merge_upserts_on_order_id_and_leaves_identical_rows_untouched(pg):
    ensure_schema(pg)
    stage(pg, "incoming/a.csv", [o(1), o(2, "c-2"), o(3, "c-3")])
    merge(pg)
    before = row_versions(pg)
    stage(pg, "incoming/b.csv", [o(1), o(2, "c-2", status="shipped"), o(4, "c-4")])
    changed = merge(pg)
    want = {1: values(o(1)), 2: values(o(2, "c-2", status="shipped")), 3: values(o(3, "c-3")), 4: values(o(4, "c-4"))}
    assert target(pg) == want, f"after the second merge the target is {target(pg)}, expected {want}"
    assert changed == 2, f"merge() returned {changed}, expected 2: order 2 changed, order 4 is new, order 1 is identical"
    after = row_versions(pg)
    assert after[1] == before[1] and after[3] == before[3], \
        "order 1 (identical values) and order 3 (not staged) were rewritten: skip rows that did not change"


def test_copy_keeps_awkward_text_exactly(pg):
    ensure_schema(pg)
    texts = ["O'Brien, \"Jr\"", "tab\there", "two\nlines", "back\\slash", "\\N", "東京 Zoë", " padded ", "a|b;c"]
    stage(pg, "incoming/a.csv", [o(i, text) for i, text in enumerate(texts, start=1)])
    merge(pg)
    got = [target(pg)[i][0] for i in range(1, len(texts) + 1)]
    assert got == texts, f"customer_id values after stage() + merge() are {got}, expected {texts}"


# ---------------------------------------------------------------------------------------------
# load: the whole run
# ---------------------------------------------------------------------------------------------

def seed_day(s3):
    put(s3, "incoming/2024-05-01.csv", csv_bytes("1,c-17,2024-05-01,19.90,new", "2,c-40,2024-05-01,5.00,new"))
    put(s3, "incoming/2024-05-02.csv", csv_bytes("1,c-17,2024-05-01,19.90,paid", "3,c-9,2024-05-02,7.50,shipped"))
    put(s3, "incoming/broken.csv", csv_bytes("4,c-4,2024-05-02,1.00,new", "5,c-5,2024-05-02,ten,new"))
    put(s3, "incoming/notes.txt", b"not data")


def test_load_merges_the_good_files_and_quarantines_the_bad_one_whole(s3, pg):
    seed_day(s3)
    report = load(s3, pg, BUCKET, PREFIX)
    assert isinstance(report, LoadReport), f"load returned {report!r}, expected a LoadReport"
    assert report.loaded == ["incoming/2024-05-01.csv", "incoming/2024-05-02.csv"], \
        f"load(...).loaded is {report.loaded}, expected the two good files in key order"
    assert list(report.quarantined) == ["incoming/broken.csv"], \
        f"load(...).quarantined is {report.quarantined}, expected only incoming/broken.csv"
    reason = report.quarantined["incoming/broken.csv"]
    assert reason.startswith("line 3: ") and "amount" in reason, \
        f"the quarantine reason is {reason!r}, expected 'line 3: ...' naming amount"
    assert (report.rows_staged, report.rows_merged) == (4, 3), \
        f"rows_staged, rows_merged = {report.rows_staged}, {report.rows_merged}, expected 4 (two files of 2), 3 (orders 1-3)"
    want = {1: ("c-17", date(2024, 5, 1), Decimal("19.90"), "paid"), 2: ("c-40", date(2024, 5, 1), Decimal("5.00"), "new"),
            3: ("c-9", date(2024, 5, 2), Decimal("7.50"), "shipped")}
    assert target(pg) == want, (f"the target is {target(pg)}, expected {want}: order 4 sits on a good line of "
                                "broken.csv and must not load; order 1 takes the later file's status")
    want_keys = ["incoming/2024-05-01.csv", "incoming/2024-05-02.csv", "incoming/notes.txt",
                 "quarantine/incoming/broken.csv"]
    assert keys(s3) == want_keys, f"after load the bucket holds {keys(s3)}, expected {want_keys}"
    meta = s3.head_object(Bucket=BUCKET, Key="quarantine/incoming/broken.csv")["Metadata"]
    assert meta.get("reason") == reason, f"the quarantined object's metadata is {meta}, expected reason={reason!r}"
    want_ledger = [(key, s3.head_object(Bucket=BUCKET, Key=key)["ETag"].strip('"'), 2) for key in report.loaded]
    assert ledger(pg) == want_ledger, f"etl_loaded_files holds {ledger(pg)}, expected {want_ledger}"


def test_a_rerun_touches_nothing(s3, pg):
    seed_day(s3)
    load(s3, pg, BUCKET, PREFIX)
    rows, versions, files = target(pg), row_versions(pg), ledger(pg)
    report = load(s3, pg, BUCKET, PREFIX)
    got = (report.loaded, report.quarantined, report.rows_staged, report.rows_merged)
    assert got == ([], {}, 0, 0), f"the rerun returned loaded, quarantined, rows_staged, rows_merged = {got}, expected nothing"
    assert (target(pg), row_versions(pg), ledger(pg)) == (rows, versions, files), \
        "the rerun changed the target rows, rewrote them (new xmin) or changed the ledger"


def test_a_rerun_after_newer_files_were_archived_does_not_bring_back_old_values(s3, pg):
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,10.00,new"))
    load(s3, pg, BUCKET, PREFIX)
    put(s3, "incoming/b.csv", csv_bytes("1,c-1,2024-05-01,20.00,paid"))
    load(s3, pg, BUCKET, PREFIX)
    s3.delete_object(Bucket=BUCKET, Key="incoming/b.csv")       # archived elsewhere
    report = load(s3, pg, BUCKET, PREFIX)
    assert report.loaded == [], f"the third run loaded {report.loaded}: a.csv is in the ledger"
    got = target(pg)[1]
    assert got[2:] == (Decimal("20.00"), "paid"), f"order 1 is {got}: a.csv was loaded again over b.csv's newer values"


def test_a_file_rewritten_under_the_same_key_loads_again_but_identical_bytes_do_not(s3, pg):
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,10.00,new"))
    load(s3, pg, BUCKET, PREFIX)
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,10.00,new"))
    again = load(s3, pg, BUCKET, PREFIX)
    assert again.loaded == [], f"identical bytes re-uploaded (same ETag) were loaded again: {again}"
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,11.00,new"))
    report = load(s3, pg, BUCKET, PREFIX)
    assert report.loaded == ["incoming/a.csv"], f"the corrected a.csv has a new ETag and must load; got {report}"
    assert target(pg)[1][2] == Decimal("11.00"), f"order 1 is {target(pg)[1]}, expected the corrected amount 11.00"
    assert len(ledger(pg)) == 2, f"the ledger holds {ledger(pg)}: expected one row per (key, ETag) loaded"


def test_a_quarantined_file_fixed_and_uploaded_again_loads(s3, pg):
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,ten,new"))
    first = load(s3, pg, BUCKET, PREFIX)
    assert list(first.quarantined) == ["incoming/a.csv"], f"the first run returned {first}, expected a.csv quarantined"
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,10.00,new"))
    second = load(s3, pg, BUCKET, PREFIX)
    assert second.loaded == ["incoming/a.csv"], f"the fixed file must load; the second run returned {second}"
    assert list(target(pg)) == [1], f"the target holds {target(pg)}, expected order 1"


def test_the_same_rows_under_a_new_key_load_but_rewrite_nothing(s3, pg):
    body = csv_bytes("1,c-1,2024-05-01,10.00,new", "2,c-2,2024-05-01,3.00,new")
    put(s3, "incoming/a.csv", body)
    load(s3, pg, BUCKET, PREFIX)
    before = row_versions(pg)
    put(s3, "incoming/a-copy.csv", body)
    report = load(s3, pg, BUCKET, PREFIX)
    got = (report.loaded, report.rows_staged, report.rows_merged)
    assert got == (["incoming/a-copy.csv"], 2, 0), f"loaded, rows_staged, rows_merged = {got}, expected (['incoming/a-copy.csv'], 2, 0)"
    assert row_versions(pg) == before, "identical rows were rewritten: the merge must skip rows whose values did not change"


EXPLODE = """
CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'customer explode is refused by the warehouse'; END $$;
CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON orders
FOR EACH ROW WHEN (NEW.customer_id = 'explode') EXECUTE FUNCTION refuse();
"""


def test_a_failed_merge_rolls_back_everything_and_the_next_run_recovers(s3, pg):
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,10.00,new", "2,c-2,2024-05-01,20.00,new"))
    load(s3, pg, BUCKET, PREFIX)
    rows, files = target(pg), ledger(pg)
    pg.execute(EXPLODE)
    put(s3, "incoming/b.csv", csv_bytes("1,c-1,2024-05-01,99.00,paid", "3,c-3,2024-05-02,30.00,new"))
    put(s3, "incoming/c.csv", csv_bytes("4,explode,2024-05-02,1.00,new"))
    put(s3, "incoming/d.csv", csv_bytes("5,c-5,2024-05-02,oops,new"))
    with pytest.raises(LoadError) as failure:
        load(s3, pg, BUCKET, PREFIX)
    assert "refused by the warehouse" in str(failure.value), \
        f"LoadError says {str(failure.value)!r}: include the database's message"
    assert target(pg) == rows, (f"after the failed merge the target is {target(pg)}, expected it unchanged {rows}: "
                                "stage, merge and ledger must be one transaction")
    assert ledger(pg) == files, f"after the failed merge the ledger is {ledger(pg)}, expected it unchanged {files}"
    want_keys = ["incoming/a.csv", "incoming/b.csv", "incoming/c.csv", "quarantine/incoming/d.csv"]
    assert keys(s3) == want_keys, f"after the failed merge the bucket holds {keys(s3)}, expected {want_keys}"
    pg.execute("DROP TRIGGER refuse ON orders")
    report = load(s3, pg, BUCKET, PREFIX)
    assert report.loaded == ["incoming/b.csv", "incoming/c.csv"], \
        f"the run after the fix loaded {report.loaded}: the rolled-back files must still be new"
    assert sorted(target(pg)) == [1, 2, 3, 4] and target(pg)[1][3] == "paid", f"the target is {target(pg)}"


names = st.sampled_from("abcdef")
good_rows = st.dictionaries(st.integers(1, 6), st.tuples(st.sampled_from(["c-1", "c-2"]), st.integers(0, 3),
                                                         st.sampled_from(["new", "paid"])), max_size=4)
run_files = st.dictionaries(names, st.tuples(good_rows, st.booleans()), min_size=1, max_size=4)
_buckets = itertools.count()


# No shrink phase: every example runs S3 and SQL, and shrinking a failure took minutes; the
# examples are small already (at most 3 runs of 4 files of 4 rows).
@settings(max_examples=10, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(runs=st.lists(run_files, min_size=1, max_size=3))
def test_any_sequence_of_runs_matches_loading_the_good_files_one_by_one(s3, pg, runs):
    bucket = f"prop-{next(_buckets)}"
    s3.create_bucket(Bucket=bucket)
    ensure_schema(pg)
    pg.execute("TRUNCATE orders, etl_loaded_files")
    oracle: dict = {}
    loaded_before: set = set()       # (key, bytes) already loaded: the same ETag is skipped
    for number, files_in_run in enumerate(runs):
        bodies = {}
        for name, (rows, is_bad) in files_in_run.items():
            lines = [f"{i},{c},2024-05-0{1 + d},{d}.50,{s}" for i, (c, d, s) in rows.items()]
            bodies[f"in/{name}.csv"] = csv_bytes(*lines, *(["9,c-9,2024-05-01,bad,new"] if is_bad else []))
            s3.put_object(Bucket=bucket, Key=f"in/{name}.csv", Body=bodies[f"in/{name}.csv"])
        report = load(s3, pg, bucket, "in/")
        for key in sorted(bodies):                   # the oracle: good files one by one, in key order
            rows, is_bad = files_in_run[key[3:-4]]
            if not is_bad and (key, bodies[key]) not in loaded_before:
                loaded_before.add((key, bodies[key]))
                for i, (c, d, s) in rows.items():
                    oracle[i] = (c, date(2024, 5, 1 + d), Decimal(f"{d}.50"), s)
        want_bad = sorted(k for k in bodies if files_in_run[k[3:-4]][1])
        assert sorted(report.quarantined) == want_bad, f"run {number}: quarantined {sorted(report.quarantined)}, expected {want_bad}"
        assert target(pg) == oracle, f"run {number} of {runs}: the target is {target(pg)}, expected {oracle}"
        versions = row_versions(pg)
        rerun = load(s3, pg, bucket, "in/")
        assert (rerun.loaded, rerun.quarantined, row_versions(pg)) == ([], {}, versions), \
            f"run {number}: an immediate rerun returned {rerun} or rewrote rows"


# ---------------------------------------------------------------------------------------------
# main: the command line
# ---------------------------------------------------------------------------------------------

def run_main(argv, **kwargs) -> int:
    """main's exit status, whether it returns it or raises SystemExit (as argparse does)."""
    try:
        return main(argv, **kwargs)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1


def test_main_loads_and_prints_a_summary_line(s3, pg, pg_dsn, capsys, monkeypatch):
    monkeypatch.delenv("REDSHIFT_DSN", raising=False)
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,10.00,new", "2,c-2,2024-05-01,3.00,new"))
    argv = ["--bucket", BUCKET, "--prefix", PREFIX, "--dsn", pg_dsn]
    code = run_main(argv)
    out = capsys.readouterr().out.strip()
    assert code == 0, f"main({argv}) returned {code}, expected 0"
    assert out == "loaded=1 quarantined=0 rows_staged=2 rows_merged=2", f"main printed {out!r}"
    assert sorted(target(pg)) == [1, 2], f"after main the target holds {target(pg)}"


def test_main_returns_3_and_names_each_quarantined_file(s3, pg, pg_dsn, capsys):
    seed_day(s3)
    code = run_main(["--bucket", BUCKET, "--prefix", PREFIX, "--dsn", pg_dsn], s3=s3)
    captured = capsys.readouterr()
    assert code == 3, f"main returned {code}, expected 3 (finished, but a file was quarantined)"
    assert captured.out.strip() == "loaded=2 quarantined=1 rows_staged=4 rows_merged=3", f"main printed {captured.out!r}"
    assert "quarantined incoming/broken.csv: line 3: " in captured.err, f"stderr was {captured.err!r}"


def test_main_reads_the_dsn_from_the_environment(s3, pg, pg_dsn, capsys, monkeypatch):
    monkeypatch.setenv("REDSHIFT_DSN", pg_dsn)
    put(s3, "incoming/a.csv", csv_bytes("1,c-1,2024-05-01,10.00,new"))
    code = run_main(["--bucket", BUCKET, "--prefix", PREFIX], s3=s3)
    assert code == 0, f"main without --dsn but with REDSHIFT_DSN set returned {code}: {capsys.readouterr()}"
    assert list(target(pg)) == [1], f"the target holds {target(pg)}"


BAD_ARGUMENTS = {
    "no --bucket": (["--prefix", PREFIX, "--dsn", "dbname=x"], "bucket"),
    "bucket with capitals and an underscore": (["--bucket", "My_Bucket", "--prefix", PREFIX, "--dsn", "dbname=x"], "bucket"),
    "bucket of two characters": (["--bucket", "ab", "--prefix", PREFIX, "--dsn", "dbname=x"], "bucket"),
    "bucket ending in a hyphen": (["--bucket", "shop-raw-", "--prefix", PREFIX, "--dsn", "dbname=x"], "bucket"),
    "no --prefix": (["--bucket", BUCKET, "--dsn", "dbname=x"], "prefix"),
    "empty prefix": (["--bucket", BUCKET, "--prefix", "", "--dsn", "dbname=x"], "prefix"),
    "prefix without a trailing slash (would match incoming-old/)":
        (["--bucket", BUCKET, "--prefix", "incoming", "--dsn", "dbname=x"], "prefix"),
    "prefix with a leading slash": (["--bucket", BUCKET, "--prefix", "/incoming/", "--dsn", "dbname=x"], "prefix"),
    "prefix under quarantine/": (["--bucket", BUCKET, "--prefix", "quarantine/incoming/", "--dsn", "dbname=x"],
                                 "quarantine"),
    "no DSN anywhere": (["--bucket", BUCKET, "--prefix", PREFIX], "REDSHIFT_DSN"),
    "a DSN that does not parse": (["--bucket", BUCKET, "--prefix", PREFIX, "--dsn", "nonsense"], "dsn"),
    "an unknown option": (["--bucket", BUCKET, "--prefix", PREFIX, "--dsn", "dbname=x", "--force"], "--force"),
}


@pytest.mark.parametrize("argv,mentions", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
def test_main_refuses_bad_arguments_with_status_2_and_a_message(aws, argv, mentions, capsys, monkeypatch):
    monkeypatch.delenv("REDSHIFT_DSN", raising=False)
    code = run_main(argv)
    err = capsys.readouterr().err
    assert code == 2, f"main({argv}) returned {code}, expected 2 (bad arguments); stderr: {err!r}"
    assert mentions.lower() in err.lower(), f"main({argv}) wrote {err!r} to stderr, expected it to mention {mentions!r}"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_main_returns_1_when_the_database_cannot_be_reached(s3, capsys):
    put(s3, "incoming/a.csv", csv_bytes(good()))
    dsn = f"host=127.0.0.1 port={closed_port()} dbname=nowhere user=nobody connect_timeout=3"
    code = run_main(["--bucket", BUCKET, "--prefix", PREFIX, "--dsn", dsn], s3=s3)
    err = capsys.readouterr().err
    assert code == 1, f"main with an unreachable database returned {code}, expected 1; stderr: {err!r}"
    assert err.strip(), "main must say on stderr why it failed"


def test_main_returns_1_when_the_bucket_does_not_exist(s3, pg_dsn, capsys):
    code = run_main(["--bucket", "no-such-bucket", "--prefix", PREFIX, "--dsn", pg_dsn], s3=s3)
    err = capsys.readouterr().err
    assert code == 1, f"main with a missing bucket returned {code}, expected 1; stderr: {err!r}"
    assert "no-such-bucket" in err and "not exist" in err, f"stderr was {err!r}, expected it to say the bucket does not exist"


def test_main_returns_1_when_the_merge_fails(s3, pg, pg_dsn, capsys):
    ensure_schema(pg)
    pg.execute(EXPLODE)
    put(s3, "incoming/a.csv", csv_bytes("1,explode,2024-05-01,10.00,new"))
    code = run_main(["--bucket", BUCKET, "--prefix", PREFIX, "--dsn", pg_dsn], s3=s3)
    err = capsys.readouterr().err
    assert code == 1, f"main with a failing merge returned {code}, expected 1; stderr: {err!r}"
    assert "refused by the warehouse" in err, f"stderr was {err!r}, expected the database's message"
    assert target(pg) == {} and ledger(pg) == [], "a failed run must leave the target and the ledger empty"
