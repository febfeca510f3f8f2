-- postgres: runs
-- duckdb: runs
-- Above: what broken/integer_average.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. region, avg_quantity: each region's exact average quantity per order.
SELECT c.region, AVG(o.quantity) AS avg_quantity
FROM orders AS o
JOIN customers AS c ON c.customer_id = o.customer_id
GROUP BY c.region;

-- Why: no error anywhere, and right on DuckDB, whose / always divides exactly (// is its integer
-- division); on PostgreSQL integer / integer truncates, so 5 / 3 is 1. AVG says what is meant and
-- returns numeric on PostgreSQL, double on DuckDB. If you keep SUM / COUNT, cast BEFORE dividing
-- (SUM(q) * 1.0 / COUNT(*)): multiplying by 1.0 after the division is too late.
