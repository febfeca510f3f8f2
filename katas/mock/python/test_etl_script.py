"""Tests for the ETL script: run `pytest katas/mock/python/test_etl_script.py`.

The parsing rules are checked on transform() directly (no database). The rest runs the script the
way a scheduler would: `python -m katas.mock.python.etl_script ...` in a child process (the
katas/solutions switch reaches it through the environment), against a fresh PostgreSQL database
per test (`pg_dsn`, `pg`), on data_gen's `transactions` CSV (`dataset`). A few cases call main()
in this process instead, because a child process costs most of a second.
"""
from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from katas.mock.python.etl_script import TARGET_DDL, RawRow, Rejected, Transaction, main, transform

ROOT = Path(__file__).resolve().parents[3]
MODULE = "katas.mock.python.etl_script"
ROWS = 120


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

def run_script(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The script in a child process, from the repository root, with this process's environment."""
    return subprocess.run([sys.executable, "-m", MODULE, *args], cwd=ROOT, env={**os.environ},
                          capture_output=True, text=True, timeout=timeout, check=False)


def run_main(argv: list[str]) -> int:
    """main's exit status, whether it returns it or raises SystemExit (as argparse does)."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1


def expected_table(path: Path) -> dict:
    """transaction_id -> values, straight from a clean file: what the table must hold."""
    with open(path, newline="") as handle:
        return {int(r["transaction_id"]): (int(r["user_id"]), Decimal(r["amount"]), r["currency"], r["status"],
                                           r["region"], datetime.fromisoformat(r["ts"]))
                for r in csv.DictReader(handle)}


def table(conn) -> dict:
    rows = conn.execute("SELECT transaction_id, user_id, amount, currency, status, region, ts "
                        "FROM transactions").fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def row_versions(conn) -> dict:
    """transaction_id -> xmin: any UPDATE of a row, even to the same values, gives it a new xmin."""
    return dict(conn.execute("SELECT transaction_id, xmin::text FROM transactions").fetchall())


def stage_counts(stderr: str, stage: str) -> dict[str, int]:
    """The key=value counts of the one log line that holds `<stage>: `."""
    lines = [line for line in stderr.splitlines() if f"{stage}: " in line]
    assert len(lines) == 1, f"expected exactly one log line with '{stage}: ' on stderr, found {len(lines)}:\n{stderr}"
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", lines[0])}


def read_rejects(path: Path) -> list[tuple[int, str, str]]:
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["line", "reason", "record"], \
            f"{path.name} has the header {reader.fieldnames}, expected ['line', 'reason', 'record']"
        return [(int(r["line"]), r["reason"], r["record"]) for r in reader]


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def clean_csv(dataset) -> Path:
    return dataset("transactions", rows=ROWS, seed=11, users=40)


def append(path: Path, *lines: str) -> None:
    with open(path, "a") as handle:
        handle.writelines(line + "\n" for line in lines)


# ---------------------------------------------------------------------------------------------
# transform: the rules for one record (no database)
# ---------------------------------------------------------------------------------------------

GOOD = "7,12,33.10,USD,completed,north,2024-02-29T23:59:59"

GOOD_RECORDS = {
    "a plain row": (GOOD, Transaction(7, 12, Decimal("33.10"), "USD", "completed", "north",
                                      datetime(2024, 2, 29, 23, 59, 59))),
    "a refund: negative amount": ("8,1,-5.00,EUR,pending,south,2023-01-01T00:00:00",
                                  Transaction(8, 1, Decimal("-5.00"), "EUR", "pending", "south",
                                              datetime(2023, 1, 1))),
    "amount without decimals": ("9,3,7,GBP,failed,west,2024-12-31T12:00:00",
                                Transaction(9, 3, Decimal("7"), "GBP", "failed", "west", datetime(2024, 12, 31, 12))),
    "amount with one decimal": ("10,3,0.5,USD,completed,central,2024-01-31T00:00:01",
                                Transaction(10, 3, Decimal("0.5"), "USD", "completed", "central",
                                            datetime(2024, 1, 31, 0, 0, 1))),
}


@pytest.mark.parametrize("text,want", GOOD_RECORDS.values(), ids=GOOD_RECORDS.keys())
def test_transform_types_a_good_record(text, want):
    valid, rejected = transform([RawRow(2, text.split(","))])
    assert (valid, rejected) == ([want], []), \
        f"transform([RawRow(2, {text.split(',')})]) returned {(valid, rejected)}, expected ([{want}], [])"
    assert type(valid[0].amount) is Decimal and type(valid[0].ts) is datetime, \
        f"amount must be a Decimal (money is never a float) and ts a datetime, got {valid[0]}"


BAD_RECORDS = {
    "amount is a word": ("7,12,ten,USD,completed,north,2024-02-01T10:00:00", "amount"),
    "amount with three decimals": ("7,12,1.999,USD,completed,north,2024-02-01T10:00:00", "amount"),
    "amount in exponent form": ("7,12,1e3,USD,completed,north,2024-02-01T10:00:00", "amount"),
    "amount empty": ("7,12,,USD,completed,north,2024-02-01T10:00:00", "amount"),
    "currency not in the list": ("7,12,1.00,JPY,completed,north,2024-02-01T10:00:00", "currency"),
    "currency in lower case": ("7,12,1.00,usd,completed,north,2024-02-01T10:00:00", "currency"),
    "status not in the list": ("7,12,1.00,USD,refunded,north,2024-02-01T10:00:00", "status"),
    "transaction_id with a letter": ("7a,12,1.00,USD,completed,north,2024-02-01T10:00:00", "transaction_id"),
    "transaction_id zero": ("0,12,1.00,USD,completed,north,2024-02-01T10:00:00", "transaction_id"),
    "transaction_id beyond bigint": (f"{2**63},12,1.00,USD,completed,north,2024-02-01T10:00:00",
                                     "transaction_id"),
    "user_id negative": ("7,-12,1.00,USD,completed,north,2024-02-01T10:00:00", "user_id"),
    "region blank": ("7,12,1.00,USD,completed,  ,2024-02-01T10:00:00", "region"),
    "ts on a day that does not exist": ("7,12,1.00,USD,completed,north,2023-02-29T10:00:00", "ts"),
    "ts with a space instead of T": ("7,12,1.00,USD,completed,north,2024-02-01 10:00:00", "ts"),
    "ts at hour 24": ("7,12,1.00,USD,completed,north,2024-02-01T24:00:00", "ts"),
    "too few fields": ("7,12,1.00,USD,completed,north", "fields"),
    "too many fields": ("7,12,1.00,USD,completed,north,2024-02-01T10:00:00,extra", "fields"),
    "a blank line": ("", "fields"),
}


@pytest.mark.parametrize("text,mentions", BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_transform_rejects_a_bad_record_with_its_line_and_a_reason(text, mentions):
    fields = text.split(",") if text else []
    rows = [RawRow(2, GOOD.split(",")), RawRow(3, fields), RawRow(4, ["10", *GOOD.split(",")[1:]])]
    valid, rejected = transform(rows)
    assert [t.transaction_id for t in valid] == [7, 10], \
        f"transform kept {valid}; expected the good rows of lines 2 and 4 only (ids 7 and 10)"
    assert len(rejected) == 1 and rejected[0].line == 3, f"transform rejected {rejected}, expected line 3 only"
    assert mentions in rejected[0].reason, \
        f"the reason for {text!r} is {rejected[0].reason!r}; it should name {mentions!r}"
    assert rejected[0].record == text, f"the rejected record is {rejected[0].record!r}, expected the line {text!r}"


def test_transform_keeps_the_first_of_two_rows_with_the_same_id():
    first = RawRow(2, GOOD.split(","))
    again = RawRow(5, "7,99,1.00,EUR,failed,east,2024-03-01T00:00:00".split(","))
    valid, rejected = transform([first, RawRow(3, ["8", *GOOD.split(",")[1:]]), again])
    assert [(t.transaction_id, t.user_id) for t in valid] == [(7, 12), (8, 12)], \
        f"transform kept {valid}: expected the first row of id 7 (user 12), then id 8"
    assert [r.line for r in rejected] == [5] and "duplicate" in rejected[0].reason, \
        f"transform rejected {rejected}: expected line 5 as a duplicate (one upsert cannot touch a row twice)"


# ---------------------------------------------------------------------------------------------
# main in this process: bad input, upserts, one transaction
# ---------------------------------------------------------------------------------------------

UNUSABLE_INPUT = {
    "a file that does not exist": (lambda tmp: tmp / "missing.csv", "missing.csv"),
    "a wrong header": (lambda tmp: write(tmp / "h.csv", "id,user,amount\n1,2,3\n"), "header"),
    "an empty file": (lambda tmp: write(tmp / "e.csv", ""), "header"),
}


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize("make,mentions", UNUSABLE_INPUT.values(), ids=UNUSABLE_INPUT.keys())
def test_main_refuses_unusable_input_with_status_2(tmp_path, capsys, make, mentions):
    path = make(tmp_path)
    argv = [str(path), "--dsn", f"host=127.0.0.1 port={closed_port()} dbname=etl connect_timeout=3"]
    code = run_main(argv)
    err = capsys.readouterr().err
    assert code == 2, f"main({argv}) returned {code}, expected 2 (bad usage: check the file before the database)"
    assert mentions in err, f"main({argv}) wrote {err!r} to stderr, expected it to mention {mentions!r}"


def test_main_refuses_a_dsn_that_does_not_parse_with_status_2(clean_csv, capsys):
    code = run_main([str(clean_csv), "--dsn", "nonsense"])
    err = capsys.readouterr().err
    assert code == 2 and "dsn" in err.lower(), f"main with --dsn nonsense returned {code}, stderr {err!r}; expected 2"


@pytest.mark.needs("pg")
def test_main_updates_only_the_rows_that_changed(clean_csv, pg, pg_dsn, capsys):
    assert run_main([str(clean_csv), "--dsn", pg_dsn]) == 0, f"the first run failed: {capsys.readouterr().err}"
    before = row_versions(pg)
    lines = clean_csv.read_text().splitlines()
    fields = lines[5].split(",")
    fields[4] = "failed" if fields[4] != "failed" else "pending"
    lines[5] = ",".join(fields)
    clean_csv.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    code = run_main([str(clean_csv), "--dsn", pg_dsn])
    err = capsys.readouterr().err
    assert code == 0, f"the second run returned {code}, expected 0; stderr:\n{err}"
    assert table(pg) == expected_table(clean_csv), "after a changed file, the table does not match the file"
    after = row_versions(pg)
    rewritten = sorted(k for k in before if before[k] != after.get(k))
    assert rewritten == [int(fields[0])], \
        f"rows {rewritten} were rewritten; only row {fields[0]}, whose status changed, should be (compare values)"
    counts = stage_counts(err, "load")
    want = {"inserted": 0, "updated": 1, "unchanged": ROWS - 1}
    assert {k: counts.get(k) for k in want} == want, f"the load line said {counts}, expected {want}"


@pytest.mark.needs("pg")
def test_main_loads_all_or_nothing_when_the_database_refuses_a_row(clean_csv, pg, pg_dsn, capsys):
    pg.execute(TARGET_DDL)
    pg.execute("""
        CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.user_id = 424242 THEN RAISE EXCEPTION 'user 424242 refused by the warehouse'; END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON transactions FOR EACH ROW EXECUTE FUNCTION refuse();
    """)
    append(clean_csv, "900001,424242,1.00,USD,completed,north,2024-06-01T00:00:00")
    code = run_main([str(clean_csv), "--dsn", pg_dsn])
    err = capsys.readouterr().err
    assert code == 4, f"main returned {code} when the database refused the load, expected 4; stderr:\n{err}"
    assert "refused by the warehouse" in err, f"stderr should carry the database's message, got:\n{err}"
    left = len(table(pg))
    assert left == 0, f"the load failed on the last row but {left} rows stayed in the table: use ONE transaction"


# ---------------------------------------------------------------------------------------------
# the script as a scheduler runs it: a child process
# ---------------------------------------------------------------------------------------------

def test_script_exits_3_when_the_database_cannot_be_reached_and_keeps_the_password_out(clean_csv):
    dsn = f"host=127.0.0.1 port={closed_port()} dbname=shop user=etl password=hunter2-secret connect_timeout=5"
    done = run_script(str(clean_csv), "--dsn", dsn)
    assert done.returncode == 3, f"exit status {done.returncode} with no database, expected 3; stderr:\n{done.stderr}"
    assert "database" in done.stderr.lower(), f"stderr should say the database cannot be reached:\n{done.stderr}"
    assert "hunter2-secret" not in done.stderr + done.stdout, \
        f"the password from --dsn was printed (never log a DSN):\n{done.stderr}"


USAGE_ERRORS = {
    "no arguments at all": ([], "usage"),
    "a --log-level outside the choices": (["x.csv", "--dsn", "dbname=x", "--log-level", "LOUD"], "--log-level"),
}


@pytest.mark.parametrize("argv,mentions", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_script_exits_2_on_bad_usage(argv, mentions):
    done = run_script(*argv)
    assert done.returncode == 2, \
        f"{argv} exited {done.returncode}, expected 2 (argparse's usage error); stderr:\n{done.stderr[-1500:]}"
    assert mentions in done.stderr, f"{argv} wrote {done.stderr!r} to stderr, expected it to mention {mentions!r}"


BAD_LINES = {   # appended after the ROWS clean records, so they sit on lines ROWS + 2, ROWS + 3, ...
    "amount": "900001,3,ten,USD,completed,north,2024-06-01T00:00:00",
    "currency": "900002,3,1.00,JPY,completed,north,2024-06-01T00:00:00",
    "duplicate": "1,3,999.99,EUR,failed,east,2024-06-01T00:00:00",
    "fields": "900003,3,1.00",
}


@pytest.mark.needs("pg")
def test_script_loads_the_valid_rows_logs_each_stage_and_exits_1_for_rejects(clean_csv, pg, pg_dsn):
    want = expected_table(clean_csv)
    append(clean_csv, *BAD_LINES.values())
    done = run_script(str(clean_csv), "--dsn", pg_dsn)
    assert done.returncode == 1, \
        f"exit status {done.returncode}, expected 1 (finished, {len(BAD_LINES)} rows rejected); stderr:\n{done.stderr}"
    assert done.stdout == "", f"stdout must stay empty (logs go to stderr), got {done.stdout[:300]!r}"
    stages = {stage: stage_counts(done.stderr, stage) for stage in ("extract", "transform", "load")}
    want_counts = {"extract": {"rows": ROWS + len(BAD_LINES)},
                   "transform": {"valid": ROWS, "rejected": len(BAD_LINES)},
                   "load": {"inserted": ROWS, "updated": 0, "unchanged": 0}}
    got_counts = {stage: {k: stages[stage].get(k) for k in keys} for stage, keys in want_counts.items()}
    assert got_counts == want_counts, f"the stage lines counted {got_counts}, expected {want_counts}"
    assert table(pg) == want, "the table does not hold exactly the valid rows of the file (the first of id 1)"
    rejects = read_rejects(clean_csv.with_suffix(".rejects.csv"))
    got = [(line, record) for line, _, record in rejects]
    assert got == [(ROWS + 2 + i, text) for i, text in enumerate(BAD_LINES.values())], \
        f"the rejects file holds {got}; expected each bad line with its line number"
    for (_, reason, _), mentions in zip(rejects, BAD_LINES):
        assert mentions in reason, f"the reason {reason!r} should mention {mentions!r}"


@pytest.mark.needs("pg")
def test_script_rerun_changes_nothing(clean_csv, pg, pg_dsn, capsys):
    assert run_main([str(clean_csv), "--dsn", pg_dsn]) == 0, f"the first run failed: {capsys.readouterr().err}"
    before = row_versions(pg)
    done = run_script(str(clean_csv), "--dsn", pg_dsn)
    assert done.returncode == 0, f"the rerun exited {done.returncode}, expected 0; stderr:\n{done.stderr}"
    after = row_versions(pg)
    rewritten = sorted(k for k in before if before[k] != after.get(k))
    assert after.keys() == before.keys() and not rewritten, \
        f"the rerun rewrote {len(rewritten)} rows (first: {rewritten[:5]}): skip rows whose values are identical"
    counts = stage_counts(done.stderr, "load")
    want = {"inserted": 0, "updated": 0, "unchanged": ROWS}
    assert {k: counts.get(k) for k in want} == want, f"the rerun's load line said {counts}, expected {want}"


@pytest.mark.needs("pg")
def test_script_at_log_level_warning_is_silent_on_a_clean_run(clean_csv, pg, pg_dsn, tmp_path):
    stale = tmp_path / "rejects" / "stale.csv"
    stale.parent.mkdir()
    stale.write_text("line,reason,record\n9,old reason,old record\n")
    done = run_script(str(clean_csv), "--dsn", pg_dsn, "--log-level", "WARNING", "--rejects", str(stale))
    assert done.returncode == 0, f"a clean run exited {done.returncode}, expected 0; stderr:\n{done.stderr}"
    assert done.stderr == "" and done.stdout == "", \
        f"at --log-level WARNING a clean run must print nothing; stderr {done.stderr!r}, stdout {done.stdout!r}"
    assert read_rejects(stale) == [], "the --rejects file must be rewritten (header only) on a run without rejects"
    assert not clean_csv.with_suffix(".rejects.csv").exists(), "with --rejects given, the default file is not written"
    assert len(table(pg)) == ROWS, f"the table holds {len(table(pg))} rows, expected {ROWS}"
