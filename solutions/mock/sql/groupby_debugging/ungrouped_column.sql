-- postgres: 42803
-- duckdb: error
-- Above: what broken/ungrouped_column.sql did, on PostgreSQL its SQLSTATE or runs, on DuckDB error or runs.
-- Below: the fixed query. customer_id, name, total_amount: each customer who ordered, with the sum of their amounts.
SELECT o.customer_id, c.name, SUM(o.amount) AS total_amount
FROM orders AS o
JOIN customers AS c ON c.customer_id = o.customer_id
GROUP BY o.customer_id, c.name;

-- Why: every column in SELECT is either grouped or inside an aggregate (42803 grouping_error says
-- which one is not). Add c.name to GROUP BY: it costs nothing, since the id already decides the name.
-- Grouping by the name INSTEAD of the id merges the two Anns. PostgreSQL would also accept GROUP BY
-- c.customer_id alone (a primary key: the name depends on it functionally); DuckDB refuses it, so
-- name both. MAX(c.name) works too, but reads as if several names were possible.
