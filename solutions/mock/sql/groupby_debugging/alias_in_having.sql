-- postgres: 42703
-- duckdb: runs
-- Above: what broken/alias_in_having.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. order_month, total_amount: each month (1 to 12) whose orders add up to more than 100.00.
SELECT EXTRACT(MONTH FROM order_date) AS order_month, SUM(amount) AS total_amount
FROM orders
GROUP BY EXTRACT(MONTH FROM order_date)
HAVING SUM(amount) > 100;

-- Why: HAVING is evaluated before SELECT, so in standard SQL it cannot see a SELECT alias. DuckDB
-- resolves aliases in WHERE, GROUP BY and HAVING as a convenience and runs the broken query (with the
-- right rows); PostgreSQL resolves a bare alias in GROUP BY only and says 42703 undefined_column for
-- `total_amount` in HAVING. Repeat the expressions: portable to every engine, and never silently
-- wrong (an alias that is also an input column's name, say `AS order_date`, is grouped by the
-- input column on both engines). The planner computes a repeated aggregate once.
