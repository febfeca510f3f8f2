-- postgres: runs
-- duckdb: runs
-- Above: what broken/count_with_nulls.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. customer_id, n_orders: EVERY customer with their number of orders, 0 for none.
SELECT c.customer_id, COUNT(o.order_id) AS n_orders
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.customer_id
GROUP BY c.customer_id;

-- Why: no error, a wrong number. The LEFT JOIN keeps a customer without orders as ONE row whose order
-- columns are NULL; COUNT(*) counts rows, so it says 1. COUNT(o.order_id) counts non-NULL values: 0.
-- Count a column of the optional side that is never NULL on a real row (its key).
