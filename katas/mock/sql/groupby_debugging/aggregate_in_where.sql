-- postgres: ?
-- duckdb: ?
-- Above: what broken/aggregate_in_where.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. customer_id, total_amount: the customers whose orders add up to more than 100.00.
-- TODO: replace the line below with your fixed query.
SELECT 'TODO' AS todo;
