"""The same report twice, once with RDDs and once with DataFrames, and what the optimizer did to the second.

Interviewers ask "RDD or DataFrame?" to hear one idea: a DataFrame query is a plan that Spark's
optimizer (Catalyst) rewrites before it runs (filters pushed into the file scan, columns nobody uses
never read, sort + limit turned into a top-N), while an RDD is a chain of Python functions that
Spark runs exactly as written, every row pickled out to Python workers. Writing one report both ways
shows that difference and the two classic RDD bugs: `groupByKey`, which ships every value through
the shuffle, and averages built from partial averages.

Orders come as an RDD of tuples (order_id, customer, status, amount, note) or as a DataFrame with
those columns (ORDERS_SCHEMA):

    order_id  customer  status    amount  note
    1         ann       paid      10.0    gift
    2         ann       paid      20.0
    3         ann       paid      60.0
    4         bob       paid      25.0
    5         bob       refunded  99.0               (not paid: ignored)
    6         cy        paid      NULL               (no amount: ignored, so cy does not appear)
    7         dee       NULL      5.0                (no status: not paid)

    customer_totals_df(orders)            customer  orders  total  average
                                          ann       3       90.0   30.0
                                          bob       1       25.0   25.0
    top_customers_rdd(orders_rdd, 1)   -> [("ann", 90.0)]

Requirements
- Only orders whose status is exactly 'paid' and whose amount is not NULL count. A customer with no
  such order does not appear at all.
- `customer_totals_rdd(orders)`: `orders` is an RDD of 5-tuples as above. Return an RDD (not a list)
  of (customer, orders, total, average) tuples: one per customer, in any order; orders is an int,
  total the sum of the amounts, average = total / orders over ALL the customer's counted orders (an
  average of per-partition averages, or of pairs of values, is wrong). Combine on the map side with
  reduceByKey, aggregateByKey or combineByKey: the test measures the shuffle, which must carry one
  small partial result per customer and partition, not every amount (what groupByKey ships).
- `customer_totals_df(orders)`: the same numbers as a DataFrame with the columns of TOTALS_SCHEMA
  (customer, orders, total, average), any row order. Use DataFrame operations only (no `.rdd`, no
  Python UDF), so the optimizer sees the whole query. The tests read the plans when the orders
  come from a parquet file: only customer, status and amount are read (column pruning); the status
  test is pushed into the scan (PushedFilters); a filter on customer that the caller applies to
  your result afterwards runs below the aggregation, so the other customers are never aggregated.
- `top_customers_rdd(orders, n)`: a list of (customer, total) for the n customers with the highest
  total, highest first; equal totals in customer name order (ascending). Fewer than n customers:
  all of them. n >= 0.
- `top_customers_df(orders, n)`: the same as a DataFrame with the columns customer, total, rows in
  that order. The tests check that Spark plans it as a top-N (TakeOrderedAndProject), not a full sort.
"""
from __future__ import annotations

from pyspark import RDD
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

ORDERS_SCHEMA = "order_id BIGINT, customer STRING, status STRING, amount DOUBLE, note STRING"
TOTALS_SCHEMA = "customer STRING, orders BIGINT, total DOUBLE, average DOUBLE"
PAID = "paid"


def customer_totals_rdd(orders: RDD) -> RDD:
    """(customer, orders, total, average) per customer over paid orders with an amount."""
    raise NotImplementedError("TODO: filter, map to (customer, (1, amount)), reduceByKey, then divide")


def customer_totals_df(orders: DataFrame) -> DataFrame:
    """The same report with DataFrame operations, so Catalyst can optimise it."""
    raise NotImplementedError("TODO: where(...), groupBy('customer'), agg(count, sum, avg) with the column names")


def top_customers_rdd(orders: RDD, n: int) -> list[tuple[str, float]]:
    """The n customers with the highest total, ties by name: a top-N per partition, then merged."""
    raise NotImplementedError("TODO: (customer, total) pairs, then takeOrdered with a key that breaks ties")


def top_customers_df(orders: DataFrame, n: int) -> DataFrame:
    """customer, total of the top n; sort + limit, which Spark plans as TakeOrderedAndProject."""
    raise NotImplementedError("TODO: orderBy total descending then customer, limit(n), select customer, total")
