"""orders_raw: deterministic whatever the chunking, with the promised missing amounts and duplicates."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from data_gen import generate
from data_gen.blocks import BLOCK_ROWS

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3 * BLOCK_ROWS + 321  # four blocks, the last one short


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_for_any_workers_and_chunks(tmp_path, fmt):
    def run(name, **kwargs):
        return generate("orders_raw", tmp_path / f"{name}.{fmt}", rows=ROWS, fmt=fmt, seed=4, **kwargs)

    one = run("one", workers=1)
    regrouped = run("regrouped", workers=1, chunk_rows=2 * BLOCK_ROWS)
    parallel = run("parallel", workers=2, chunk_rows=1000)
    assert one.rows == regrouped.rows == parallel.rows == ROWS
    assert digest(one.path) == digest(regrouped.path) == digest(parallel.path)


@pytest.fixture(scope="module")
def frame(tmp_path_factory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("orders") / "orders.csv"
    generate("orders_raw", path, rows=ROWS, seed=1)
    text = pl.read_csv(path, infer_schema=False)
    assert text.columns == ["order_id", "user_id", "order_ts", "region", "amount"]
    assert text["order_ts"].str.contains(r"^20(23|24|25)-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$").all()
    assert text["amount"].drop_nulls().str.contains(r"^\d+\.\d{2}$").all()
    return text.with_columns(
        pl.col("order_id", "user_id").cast(pl.Int64),
        pl.col("order_ts").str.to_datetime("%Y-%m-%dT%H:%M:%S"),
        pl.col("amount").cast(pl.Float64),
    ).with_row_index("row")


def test_about_3_percent_of_amounts_are_missing(frame):
    share = frame["amount"].null_count() / frame.height
    assert 0.025 < share < 0.035, share
    assert (frame["amount"].drop_nulls() > 0).all()


def test_about_2_percent_of_rows_repeat_an_earlier_order_id(frame):
    repeats = frame.filter(~pl.col("order_id").is_first_distinct())
    assert 0.015 < repeats.height / frame.height < 0.025, repeats.height / frame.height
    firsts = frame.filter(pl.col("order_id").is_first_distinct())
    # a first occurrence's id is its own row number, so ids rise through the file...
    assert (firsts["order_id"] == firsts["row"] + 1).all()
    # ... and a repeat's id belongs to an earlier row of the same block
    assert (repeats["order_id"] < repeats["row"] + 1).all()
    assert ((repeats["order_id"] - 1) // BLOCK_ROWS == repeats["row"] // BLOCK_ROWS).all()
    assert (repeats["row"] % BLOCK_ROWS > 0).all()


def test_repeats_are_exact_copies_or_resent_orders_so_the_first_row_matters(frame):
    firsts = frame.filter(pl.col("order_id").is_first_distinct())
    pairs = frame.filter(~pl.col("order_id").is_first_distinct()).join(firsts, on="order_id", suffix="_first")
    assert (pairs["user_id"] == pairs["user_id_first"]).all() and (pairs["region"] == pairs["region_first"]).all()
    seconds = (pairs["order_ts"] - pairs["order_ts_first"]).dt.total_seconds()
    exact = pairs.filter(seconds == 0)
    resent = pairs.filter(seconds != 0)
    assert ((seconds >= 0) & (seconds <= 600)).all()
    assert 0.4 < exact.height / pairs.height < 0.6, exact.height / pairs.height
    same_amount = exact["amount"].eq_missing(exact["amount_first"])
    assert same_amount.all(), "an exact copy repeats the amount, missing or not"
    assert (~resent["amount"].eq_missing(resent["amount_first"])).mean() > 0.9, "a re-sent order is keyed again"
    # keeping the last row instead of the first changes the data
    last = frame.unique("order_id", keep="last", maintain_order=True).sort("order_id")
    first = frame.unique("order_id", keep="first", maintain_order=True).sort("order_id")
    assert not last.drop("row").equals(first.drop("row"))


def test_users_option_and_the_command_line(tmp_path):
    path = tmp_path / "o.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "data_gen", "orders_raw", "--rows", "5000", "--users", "7", "--seed", "1",
         "--format", "csv", "--out", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    users = pl.read_csv(path)["user_id"]
    assert set(users) == set(range(1, 8))
