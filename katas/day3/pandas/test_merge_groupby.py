"""Tests for merge and groupby: run `pytest katas/day3/pandas/test_merge_groupby.py`.

A small hand-written shop names each case; a hypothesis property checks all four functions against
plain-Python loops; two size guards (`-m perf`) run customer_totals and with_group_shares on
2 million orders, where a row-wise apply, iterrows or a groupby.apply per customer cannot finish
inside the time limit.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dojo.guards import within_time_limit
from katas.day3.pandas.merge_groupby import customer_totals, enrich_orders, segment_summary, with_group_shares

GUARD_TIMEOUT_S = 4.5      # the reference needs about 1.5 s per guard, input included; a row-wise apply 11 s
GUARD_ORDERS = 2_000_000


def make_orders(rows: list[tuple], index: list[int] | None = None) -> pd.DataFrame:
    """(order_id, customer_id, 'YYYY-MM-DD', amount) tuples -> an orders frame."""
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "amount"], index=index)
    return frame.astype({"order_id": "int64", "customer_id": "int64", "amount": "float64"}).assign(
        order_date=pd.to_datetime(frame["order_date"]))


def make_customers(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "name", "segment"]).astype({"customer_id": "int64"})


SHOP_ORDERS = [
    (1, 10, "2024-01-01", 30.0),
    (2, 10, "2024-01-03", 10.0),
    (3, 12, "2024-01-03", 60.0),     # customer 12 is not in the customers table
    (4, 11, "2024-01-02", 25.0),
    (5, 10, "2024-01-03", 30.0),     # ties with order 1 for customer 10's largest
    (6, 11, "2024-01-05", 75.0),
    (7, 13, "2024-01-04", 5.0),
]
SHOP_CUSTOMERS = [(10, "Ann", "retail"), (11, "Bob", "business"), (13, "Cid", "retail"), (14, "Dee", "retail")]


@pytest.fixture
def orders() -> pd.DataFrame:
    return make_orders(SHOP_ORDERS)


@pytest.fixture
def customers() -> pd.DataFrame:
    return make_customers(SHOP_CUSTOMERS)


def show(frame: pd.DataFrame) -> str:
    return "\n" + frame.to_string()


# -- enrich_orders: a merge that declares its cardinality -----------------------------------------

def test_enrich_orders_keeps_every_order_once_in_order_with_its_customer(orders, customers):
    got = enrich_orders(orders, customers)
    names = {10: "Ann", 11: "Bob", 13: "Cid"}
    segments = {10: "retail", 11: "business", 13: "retail"}
    want = orders.assign(name=orders["customer_id"].map(names), segment=orders["customer_id"].map(segments))
    assert list(got.columns) == list(want.columns), (
        f"enrich_orders(orders, customers) returned columns {list(got.columns)}, expected {list(want.columns)}")
    assert len(got) == len(orders), f"enrich_orders returned {len(got)} rows for {len(orders)} orders:{show(got)}"
    pd.testing.assert_frame_equal(got, want, obj="enrich_orders(orders, customers)")


def test_an_order_whose_customer_is_unknown_is_kept_with_missing_name_and_segment(orders, customers):
    got = enrich_orders(orders, customers)
    row = got[got["order_id"] == 3]
    assert len(row) == 1, (f"order 3 belongs to customer 12, who is not in the customers table; enrich_orders "
                           f"returned {len(row)} rows for it, expected 1 (a left join keeps it):{show(got)}")
    assert row["name"].isna().all() and row["segment"].isna().all(), (
        f"order 3's customer is unknown: name and segment should be NaN, got{show(row)}")


def test_a_repeated_customer_would_multiply_orders_so_the_merge_is_refused(orders, customers):
    doubled = pd.concat([customers, make_customers([(10, "Ann B.", "business")])], ignore_index=True)
    try:
        got = enrich_orders(orders, doubled)
    except pd.errors.MergeError:
        return
    pytest.fail(f"customers repeats customer_id 10; enrich_orders returned {len(got)} rows for {len(orders)} "
                f"orders instead of raising pandas.errors.MergeError (pass validate= to merge):{show(got)}")


def test_enrich_orders_does_not_change_its_inputs(orders, customers):
    before_orders, before_customers = orders.copy(), customers.copy()
    enrich_orders(orders, customers)
    pd.testing.assert_frame_equal(orders, before_orders, obj="orders after enrich_orders")
    pd.testing.assert_frame_equal(customers, before_customers, obj="customers after enrich_orders")


# -- segment_summary: groupby with a missing key, named aggregations ------------------------------

SEGMENTS = {
    "business: Bob's two orders": ("business", 2, 1, 100.0),
    "retail: four orders of two customers (customers counts distinct ids)": ("retail", 4, 2, 75.0),
    "unknown: the order of the customer missing from the table": ("unknown", 1, 1, 60.0),
}


@pytest.mark.parametrize("segment,n_orders,n_customers,revenue", SEGMENTS.values(), ids=SEGMENTS.keys())
def test_segment_summary_rows(orders, segment, n_orders, n_customers, revenue):
    enriched = orders.assign(name=None, segment=orders["customer_id"].map({c: s for c, _, s in SHOP_CUSTOMERS}))
    got = segment_summary(enriched)
    rows = got[got["segment"] == segment] if "segment" in got.columns else got.iloc[:0]
    want = (segment, n_orders, n_customers, revenue)
    assert len(rows) == 1, f"segment_summary has {len(rows)} rows for segment {segment!r}, expected 1:{show(got)}"
    row = rows.iloc[0]
    found = (row["segment"], row["orders"], row["customers"], row["revenue"])
    assert found == want, f"segment_summary row for {segment!r} is {found}, expected {want}:{show(got)}"


def test_segment_summary_shape_order_and_types(orders, customers):
    got = segment_summary(enrich_orders(orders, customers))
    assert list(got.columns) == ["segment", "orders", "customers", "revenue"], f"columns are {list(got.columns)}"
    assert list(got["segment"]) == ["business", "retail", "unknown"], f"segments in order {list(got['segment'])}"
    assert list(got.index) == [0, 1, 2], f"segment_summary's index is {list(got.index)}, expected a fresh 0..n-1"
    types = (got["orders"].dtype, got["customers"].dtype)
    assert types == (np.dtype("int64"),) * 2, f"orders and customers have dtypes {types}, expected int64"


# -- customer_totals: named aggregations --------------------------------------------------------

CUSTOMERS_TOTALS = {
    "customer 10: three orders on two days": (10, 3, 70.0, 70.0 / 3, 30.0, 2),
    "customer 11: two orders on two days": (11, 2, 100.0, 50.0, 75.0, 2),
    "customer 12: unknown to the customers table, still totalled": (12, 1, 60.0, 60.0, 60.0, 1),
    "customer 13: a single order": (13, 1, 5.0, 5.0, 5.0, 1),
}
TOTALS_COLUMNS = ["customer_id", "orders", "total", "average", "largest", "active_days"]


@pytest.mark.parametrize("want", CUSTOMERS_TOTALS.values(), ids=CUSTOMERS_TOTALS.keys())
def test_customer_totals_rows(orders, want):
    got = customer_totals(orders)
    assert list(got.columns) == TOTALS_COLUMNS, f"customer_totals returned columns {list(got.columns)}"
    rows = got[got["customer_id"] == want[0]]
    assert len(rows) == 1, f"customer_totals has {len(rows)} rows for customer {want[0]}, expected 1:{show(got)}"
    found = tuple(rows.iloc[0])
    assert found == pytest.approx(want), (f"customer_totals row for customer {want[0]} is {found}, expected "
                                          f"{dict(zip(TOTALS_COLUMNS, want))}")


def test_customer_totals_shape_order_and_types(orders):
    got = customer_totals(orders.iloc[::-1])
    assert list(got["customer_id"]) == [10, 11, 12, 13], f"customers in order {list(got['customer_id'])}"
    assert list(got.index) == [0, 1, 2, 3], f"customer_totals' index is {list(got.index)}, expected 0..n-1"
    types = {c: str(got[c].dtype) for c in ("orders", "active_days")}
    assert types == {"orders": "int64", "active_days": "int64"}, f"dtypes {types}, expected int64"


# -- with_group_shares: transform keeps one value per row ----------------------------------------

SHARES = {
    "order 1: tied largest of customer 10 shares rank 1": (1, 70.0, 30 / 70, 1),
    "order 5: the other tied largest, also rank 1": (5, 70.0, 30 / 70, 1),
    "order 2: after a tie for 1st comes 3rd, as SQL RANK()": (2, 70.0, 10 / 70, 3),
    "order 4: smaller of customer 11's two": (4, 100.0, 0.25, 2),
    "order 6: larger of customer 11's two": (6, 100.0, 0.75, 1),
    "order 3: an only order is the whole total": (3, 60.0, 1.0, 1),
}


@pytest.mark.parametrize("order_id,total,share,rank", SHARES.values(), ids=SHARES.keys())
def test_with_group_shares_rows(orders, order_id, total, share, rank):
    got = with_group_shares(orders)
    row = got[got["order_id"] == order_id].iloc[0]
    found = (row["customer_total"], row["share"], row["rank_in_customer"])
    assert found == pytest.approx((total, share, rank)), (
        f"with_group_shares: order {order_id} has (customer_total, share, rank_in_customer) = {found}, "
        f"expected {(total, share, rank)}")


def test_with_group_shares_keeps_index_order_and_input(orders):
    shuffled = make_orders([SHOP_ORDERS[i] for i in (4, 0, 6, 2, 5, 1, 3)], index=[70, 10, 90, 30, 80, 20, 60])
    before = shuffled.copy()
    got = with_group_shares(shuffled)
    assert list(got.index) == list(shuffled.index), (
        f"with_group_shares changed the index to {list(got.index)}; expected the input's {list(shuffled.index)}")
    pd.testing.assert_frame_equal(got[list(shuffled.columns)], shuffled, obj="the input's columns in the result")
    assert list(got.columns[-3:]) == ["customer_total", "share", "rank_in_customer"], f"columns {list(got.columns)}"
    assert str(got["rank_in_customer"].dtype) == "int64", f"rank_in_customer is {got['rank_in_customer'].dtype}"
    pd.testing.assert_frame_equal(shuffled, before, obj="the orders frame after with_group_shares")


# -- the plain-Python oracle --------------------------------------------------------------------

def oracle_totals(rows: list[tuple]) -> dict[int, tuple]:
    by_customer: dict[int, list[tuple]] = {}
    for row in rows:
        by_customer.setdefault(row[1], []).append(row)
    return {cid: (len(rs), sum(r[3] for r in rs), sum(r[3] for r in rs) / len(rs), max(r[3] for r in rs),
                  len({r[2] for r in rs})) for cid, rs in by_customer.items()}


def oracle_shares(rows: list[tuple]) -> list[tuple]:
    out = []
    for row in rows:
        mine = [r[3] for r in rows if r[1] == row[1]]
        out.append((row[0], sum(mine), row[3] / sum(mine), 1 + sum(a > row[3] for a in mine)))
    return out


def oracle_segments(rows: list[tuple], customer_rows: list[tuple]) -> dict[str, tuple]:
    segment_of = {c: s for c, _, s in customer_rows}
    seen: dict[str, list[tuple]] = {}
    for row in rows:
        seen.setdefault(segment_of.get(row[1], "unknown"), []).append(row)
    return {s: (len(rs), len({r[1] for r in rs}), sum(r[3] for r in rs)) for s, rs in seen.items()}


ORDER_ROWS = st.lists(st.tuples(st.integers(1, 6), st.sampled_from(["2024-01-01", "2024-01-02", "2024-02-29"]),
                                st.integers(1, 500).map(lambda cents: cents / 4)), min_size=1, max_size=25)
CUSTOMER_ROWS = st.dictionaries(st.integers(1, 7), st.sampled_from(["retail", "business", "vip"]), max_size=7)


def close(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=1e-9) if isinstance(y, float) else x == y
                                    for x, y in zip(a, b))


@settings(max_examples=40, deadline=None)
@given(raw=ORDER_ROWS, segments=CUSTOMER_ROWS)
def test_all_four_agree_with_plain_python_loops(raw, segments):
    rows = [(i, cid, day, amount) for i, (cid, day, amount) in enumerate(raw, start=1)]
    customer_rows = [(cid, f"c{cid}", seg) for cid, seg in segments.items()]
    orders, customers = make_orders(rows), make_customers(customer_rows)

    totals = customer_totals(orders)
    got = {int(r[0]): tuple(r[1:]) for r in totals.itertuples(index=False)}
    want = oracle_totals(rows)
    assert got.keys() == want.keys() and all(close(got[c], want[c]) for c in want), (
        f"customer_totals on orders {rows} gave {got}, the loop gives {want}")

    shares = with_group_shares(orders)
    got_shares = list(shares[["order_id", "customer_total", "share", "rank_in_customer"]].itertuples(index=False))
    want_shares = oracle_shares(rows)
    assert all(close(tuple(g), w) for g, w in zip(got_shares, want_shares)) and len(got_shares) == len(rows), (
        f"with_group_shares on orders {rows} gave {got_shares}, the loop gives {want_shares}")

    enriched = enrich_orders(orders, customers)
    assert len(enriched) == len(rows), f"enrich_orders gave {len(enriched)} rows for {len(rows)} orders"
    summary = segment_summary(enriched)
    got_segments = {r[0]: tuple(r[1:]) for r in summary.itertuples(index=False)}
    want_segments = oracle_segments(rows, customer_rows)
    assert got_segments.keys() == want_segments.keys() and all(
        close(got_segments[s], want_segments[s]) for s in want_segments), (
        f"segment_summary for orders {rows} and customers {customer_rows} gave {got_segments}, "
        f"the loop gives {want_segments}")


# -- size guards: no Python loop over rows or groups --------------------------------------------

def big_orders(customers: int) -> pd.DataFrame:
    """2 million orders of `customers` customers, made with numpy in well under a second."""
    rng = np.random.default_rng(3)
    return pd.DataFrame({
        "order_id": np.arange(1, GUARD_ORDERS + 1),
        "customer_id": rng.integers(1, customers + 1, GUARD_ORDERS),
        "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 366, GUARD_ORDERS), unit="D"),
        "amount": rng.integers(1, 100_000, GUARD_ORDERS) / 100,
    })


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_with_group_shares_needs_no_loop_over_two_million_rows():
    orders = big_orders(customers=20_000)
    got = within_time_limit(lambda: with_group_shares(orders), "with_group_shares(2,000,000 orders)")
    per_customer = got.groupby("customer_id")["share"].sum()
    assert np.allclose(per_customer.to_numpy(), 1.0), "the shares of some customer do not add up to 1"
    assert (got["rank_in_customer"] >= 1).all() and got["rank_in_customer"].max() <= got["customer_id"].value_counts(
    ).max(), "rank_in_customer is out of range on the big input"


@pytest.mark.perf
@pytest.mark.timeout(GUARD_TIMEOUT_S)
def test_customer_totals_needs_no_loop_over_four_hundred_thousand_groups():
    orders = big_orders(customers=400_000)
    got = within_time_limit(lambda: customer_totals(orders), "customer_totals(2,000,000 orders)")
    assert int(got["orders"].sum()) == GUARD_ORDERS, f"the order counts add up to {got['orders'].sum()}"
    assert math.isclose(got["total"].sum(), orders["amount"].sum(), rel_tol=1e-9), "the totals do not add up"
