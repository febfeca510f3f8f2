-- postgres: ?
-- duckdb: ?
-- Above: what broken/alias_in_having.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. order_month, total_amount: each month (1 to 12) whose orders add up to more than 100.00.
-- TODO: replace the line below with your fixed query.
SELECT 'TODO' AS todo;
