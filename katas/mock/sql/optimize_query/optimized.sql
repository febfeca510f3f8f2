-- PostgreSQL only. Rewrite slow_query.sql (beside this file) so that it returns exactly the same
-- rows, in the same order (customer_id, email, lifetime_orders, ordered by customer_id), and so
-- that its estimated total cost (EXPLAIN (FORMAT JSON)) is at most a tenth of the slow query's.
-- One SELECT statement (a WITH ... SELECT is fine). Indexes go in indexes.sql, not here.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
