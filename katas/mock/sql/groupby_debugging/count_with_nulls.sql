-- postgres: ?
-- duckdb: ?
-- Above: what broken/count_with_nulls.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. customer_id, n_orders: EVERY customer with their number of orders, 0 for none.
-- TODO: replace the line below with your fixed query.
SELECT 'TODO' AS todo;
