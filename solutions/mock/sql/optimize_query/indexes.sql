-- PostgreSQL only. Optional: CREATE INDEX statements your rewrite needs (indexes only: no tables,
-- views or functions). The tests run this file after measuring the slow query on the given schema
-- and before planning your optimized.sql, so an index you add here counts for your rewrite.
-- An empty file (only comments) is fine.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
-- Why: the lifetime count asks "all orders of this customer" once per customer in the report;
-- with this index that is a short Index Only Scan instead of a pass over the whole orders table.
