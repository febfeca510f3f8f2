"""Each dataset has its promised columns, row count and shape of values."""

from __future__ import annotations

import json
import re

import polars as pl
import pyarrow.parquet as pq
import pytest

from data_gen import DATASETS, DataGenError, generate, parse_size

TEXT = {"csv": pl.read_csv, "jsonl": pl.read_ndjson}


def read(path, fmt) -> pl.DataFrame:
    if fmt == "csv":
        return pl.read_csv(path, infer_schema=False)  # as text: the file is what we test
    if fmt == "jsonl":
        return pl.read_ndjson(path)
    return pl.from_arrow(pq.read_table(path))


@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_columns_and_exact_row_count(tmp_path, dataset, fmt):
    spec = DATASETS[dataset]
    if fmt not in spec.formats:
        with pytest.raises(DataGenError, match="cannot be written as"):
            generate(dataset, tmp_path / f"x.{fmt}", rows=10, fmt=fmt)
        return
    result = generate(dataset, tmp_path / f"x.{fmt}", rows=1_234, fmt=fmt, seed=3)
    frame = read(result.path, fmt)
    assert frame.columns == list(spec.columns)
    assert frame.height == result.rows == 1_234
    assert spec.description


def test_transactions_values(tmp_path):
    frame = read(generate("transactions", tmp_path / "t.csv", rows=20_000, seed=5).path, "csv")
    assert frame["transaction_id"].cast(pl.Int64).to_list() == list(range(1, 20_001))
    users = frame["user_id"].cast(pl.Int64)
    assert users.min() >= 1 and users.max() <= 10_000
    assert frame["amount"].str.contains(r"^-?\d+\.\d{2}$").all()
    assert frame["ts"].str.contains(r"^20(23|24)-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$").all()
    assert set(frame["region"]) <= {"north", "south", "east", "west", "central", "overseas"}
    status = frame["status"].value_counts(normalize=True)
    completed = status.filter(pl.col("status") == "completed")["proportion"][0]
    assert 0.87 < completed < 0.93
    assert set(frame["status"]) == {"completed", "failed", "pending"}


def test_transactions_users_option(tmp_path):
    frame = read(
        generate("transactions", tmp_path / "t.parquet", rows=5_000, fmt="parquet", users=7).path, "parquet"
    )
    assert set(frame["user_id"]) == set(range(1, 8))


def test_employees_form_one_tree(tmp_path):
    frame = read(generate("employees", tmp_path / "e.parquet", rows=70_000, fmt="parquet").path, "parquet")
    roots = frame.filter(pl.col("manager_id").is_null())
    assert roots["employee_id"].to_list() == [1]
    others = frame.filter(pl.col("manager_id").is_not_null())
    # every manager is an earlier employee: no cycles, all connected to the root
    assert (others["manager_id"] < others["employee_id"]).all()
    assert (others["manager_id"] >= 1).all()
    csv = read(generate("employees", tmp_path / "e.csv", rows=3).path, "csv")
    assert csv["manager_id"][0] is None  # the root's manager is empty in CSV


def test_customers_raw_has_every_kind_of_dirt(tmp_path):
    frame = read(generate("customers_raw", tmp_path / "c.csv", rows=5_000, seed=9).path, "csv")
    name, email, date = frame["name"].drop_nulls(), frame["email"].drop_nulls(), frame["signup_date"]
    assert (name != name.str.strip_chars()).any(), "stray whitespace"
    assert (name == name.str.to_uppercase()).any() and (name == name.str.to_lowercase()).any(), "case"
    assert email.str.contains("(at)", literal=True).any(), "(at) emails"
    assert email.str.strip_chars().str.ends_with("@").any(), "missing domain"
    assert (~email.str.contains("@")).any(), "no @ at all"
    assert date.is_in(["2023-02-30", "13/45/2020"]).any(), "impossible dates"
    assert (date == "").any(), "empty dates"  # written as "" (quoted), unlike a missing value
    assert date.str.contains(r"^\d{2}/\d{2}/\d{4}$").any(), "other date formats"
    assert frame["country"].is_in(["US", "usa", "U.S.A."]).any(), "country variants"
    for column in ("name", "email", "country", "phone"):
        assert frame[column].is_null().any(), f"missing {column}"
    assert frame.is_duplicated().any(), "exact duplicates"
    ids = frame.unique()["customer_id"]
    assert ids.is_duplicated().any(), "near duplicates: same id, different text"


def test_events_are_json_lines_with_nested_properties(tmp_path):
    result = generate("events", tmp_path / "e.jsonl", rows=2_000, fmt="jsonl")
    lines = result.path.read_text().splitlines()
    assert len(lines) == 2_000
    events = [json.loads(line) for line in lines]
    assert list(events[0]) == list(DATASETS["events"].columns)
    assert all(
        isinstance(e["properties"], dict) and isinstance(e["properties"]["device"], dict) for e in events
    )
    assert {e["type"] for e in events} >= {"click", "view", "purchase"}
    purchase = next(e for e in events if e["type"] == "purchase")
    assert purchase["properties"]["price"] > 0
    assert re.fullmatch(r"2024-\d\d-\d\dT\d\d:\d\d:\d\d", events[0]["ts"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10GB", 10 * 1000**3),
        ("1.5 MB", 1_500_000),
        ("64KiB", 65_536),
        ("2GiB", 2 * 1024**3),
        ("500B", 500),
        ("1000", 1000),
        ("3mib", 3 * 1024**2),
    ],
)
def test_parse_size(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "ten", "5XB", "-1GB", "0"])
def test_parse_size_rejects(text):
    with pytest.raises(ValueError):
        parse_size(text)
