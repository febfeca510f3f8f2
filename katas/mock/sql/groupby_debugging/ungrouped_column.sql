-- postgres: ?
-- duckdb: ?
-- Above: what broken/ungrouped_column.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. customer_id, name, total_amount: each customer who ordered, with the sum of their amounts.
-- TODO: replace the line below with your fixed query.
SELECT 'TODO' AS todo;
