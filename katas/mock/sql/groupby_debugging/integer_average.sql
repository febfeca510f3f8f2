-- postgres: ?
-- duckdb: ?
-- Above: what broken/integer_average.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. region, avg_quantity: each region's exact average quantity per order.
-- TODO: replace the line below with your fixed query.
SELECT 'TODO' AS todo;
