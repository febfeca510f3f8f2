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
    counted = orders.filter(lambda order: order[2] == PAID and order[3] is not None)
    partials = counted.map(lambda order: (order[1], (1, order[3])))
    sums = partials.reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1]))
    return sums.map(lambda kv: (kv[0], kv[1][0], kv[1][1], kv[1][1] / kv[1][0]))


def customer_totals_df(orders: DataFrame) -> DataFrame:
    """The same report with DataFrame operations, so Catalyst can optimise it."""
    counted = orders.where((F.col("status") == PAID) & F.col("amount").isNotNull())
    return counted.groupBy("customer").agg(
        F.count("*").alias("orders"),
        F.sum("amount").alias("total"),
        F.avg("amount").alias("average"),
    )


def top_customers_rdd(orders: RDD, n: int) -> list[tuple[str, float]]:
    """The n customers with the highest total, ties by name: a top-N per partition, then merged."""
    totals = customer_totals_rdd(orders).map(lambda row: (row[0], row[2]))
    return totals.takeOrdered(n, key=lambda pair: (-pair[1], pair[0]))


def top_customers_df(orders: DataFrame, n: int) -> DataFrame:
    """customer, total of the top n; sort + limit, which Spark plans as TakeOrderedAndProject."""
    totals = customer_totals_df(orders)
    return totals.orderBy(F.desc("total"), F.asc("customer")).limit(n).select("customer", "total")


# Why
# - Same answer, different machinery. The RDD version runs four Python lambdas over pickled rows in
#   Python workers, in the order written. The DataFrame version is a logical plan: Catalyst pushes
#   `status = 'paid'` into the parquet reader (PushedFilters: row groups whose statistics rule it
#   out are skipped), reads 3 of the 5 columns (ReadSchema), pushes a later `customer = 'ann'`
#   below the aggregate, drops `orders` and `average` when only `total` is selected, and turns
#   orderBy + limit into TakeOrderedAndProject (a bounded heap per partition, no full sort). All of
#   it runs in the JVM on columnar/binary rows, with no Python at all.
# - reduceByKey / aggregateByKey combine on the map side: each partition sends one (count, total)
#   per customer through the shuffle. groupByKey sends every amount (the test: 96 KB against 0.3 KB)
#   and holds a customer's whole list in one worker's memory: a hot key means an OOM.
# - Averages do not compose; (count, sum) pairs do. Averaging partial averages, or reducing with
#   (a + b) / 2, gives a wrong answer that looks plausible. Carry the sum and the count, divide last.
# - count("*") vs count("amount"): filter the NULL amounts first (as here) or the order count
#   includes orders that the average skips.
# - Ties: a top-N without a total order (total desc, then customer) is not deterministic; which row
#   wins depends on partitioning. takeOrdered with a key tuple and orderBy(desc, asc) both fix it.
# - Say in the interview: use DataFrames (or Spark SQL) by default; reach for RDDs for what the
#   optimizer cannot express (custom partitioners, fine control of record-level processing, legacy
#   code). Python UDFs put you back in the RDD world (opaque to Catalyst, rows pickled to Python);
#   prefer built-in functions, then pandas UDFs (Arrow batches) when you must run Python.
