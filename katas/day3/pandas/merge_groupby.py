"""Merge and groupby the pandas way: declared cardinality, named aggregations, transform.

Interviewers ask "join orders to customers and give me revenue per segment and each order's share
of its customer's spend" to see three things: that you declare what a merge may do (a duplicated
key on the "one" side silently multiplies rows and inflates every sum after it), that you know
named aggregations and `transform`, and that you never loop over rows (`apply(axis=1)`,
`iterrows`): at a million rows that is the difference between a fraction of a second and minutes.

    orders                                        customers
        order_id customer_id order_date amount        customer_id name  segment
        1        10          2024-01-01   30.0         10          Ann   retail
        2        10          2024-01-03   10.0         11          Bob   business
        3        12          2024-01-03   60.0      (customer 12 is not in the table)

    enrich_orders(orders, customers)     # the 3 orders, with name and segment (NaN for order 3)
    segment_summary(enriched)            # retail: 2 orders, 1 customer, 40.0; unknown: 1, 1, 60.0
    customer_totals(orders)              # customer 10: orders 2, total 40.0, average 20.0, ...
    with_group_shares(orders)            # order 1: customer_total 40.0, share 0.75, rank 1

The frames: orders has order_id (int), customer_id (int), order_date (datetime64) and amount
(float, > 0); customers has customer_id (int), name (str) and segment (str). No function changes
the frames it is given.

Requirements
- `enrich_orders(orders, customers)` returns every order exactly once, in the orders' order, with a
  fresh 0..n-1 index: the orders' columns followed by the customer's `name` and `segment` (NaN
  when the customer is not in the table: an order is never dropped). If `customers` repeats a
  customer_id, the merge would be many-to-many and multiply that customer's orders: it must raise
  `pandas.errors.MergeError` instead (let pandas check it: `validate=`).
- `segment_summary(enriched)` takes enrich_orders' result and returns one row per segment, sorted
  by segment, with a fresh index and exactly the columns segment, orders (number of orders,
  int64), customers (number of distinct customers, int64), revenue (sum of amount). Orders whose
  segment is missing are summed under the segment "unknown", never dropped.
- `customer_totals(orders)` returns one row per customer_id, sorted by it, with a fresh index and
  exactly the columns customer_id, orders (int64), total (sum of amount), average (mean amount),
  largest (max amount), active_days (number of distinct order_date values, int64).
- `with_group_shares(orders)` returns a copy of orders (same index, same row order) with three
  columns added: customer_total (the sum of that customer's amounts, on every one of its rows),
  share (amount / customer_total) and rank_in_customer (1 for the customer's largest amount, 2 for
  the next; equal amounts share the lower rank and the next rank is skipped, as SQL's RANK() does;
  int64).
- Scale: customer_totals and with_group_shares run on 2 million orders of 400,000 customers in a
  few seconds (the tests time them): no Python-level loop over rows or over groups.
"""
from __future__ import annotations

import pandas as pd

UNKNOWN_SEGMENT = "unknown"


def enrich_orders(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    raise NotImplementedError("TODO: left-merge the customers' name and segment, declaring many-to-one")


def segment_summary(enriched: pd.DataFrame) -> pd.DataFrame:
    raise NotImplementedError("TODO: label missing segments 'unknown', then one named aggregation per column")


def customer_totals(orders: pd.DataFrame) -> pd.DataFrame:
    raise NotImplementedError("TODO: groupby customer_id with named aggregations")


def with_group_shares(orders: pd.DataFrame) -> pd.DataFrame:
    raise NotImplementedError("TODO: add customer_total, share and rank_in_customer with groupby transforms")
