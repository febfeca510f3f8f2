-- postgres: 42803
-- duckdb: error
-- Above: what broken/aggregate_in_where.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. customer_id, total_amount: the customers whose orders add up to more than 100.00.
SELECT customer_id, SUM(amount) AS total_amount
FROM orders
GROUP BY customer_id
HAVING SUM(amount) > 100;

-- Why: WHERE filters rows before they are grouped, so no group and no SUM exists yet; HAVING filters
-- the groups after. Moving the condition to WHERE as `amount > 100` runs, but answers another
-- question (customers with one order over 100): Ann's two orders of 60 and 50 vanish.
