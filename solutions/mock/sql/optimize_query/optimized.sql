-- PostgreSQL only. Rewrite slow_query.sql (beside this file) so that it returns exactly the same
-- rows, in the same order (customer_id, email, lifetime_orders, ordered by customer_id), and so
-- that its estimated total cost (EXPLAIN (FORMAT JSON)) is at most a tenth of the slow query's.
-- One SELECT statement (a WITH ... SELECT is fine). Indexes go in indexes.sql, not here.
SELECT c.customer_id, c.email, lifetime.lifetime_orders
FROM customers AS c
CROSS JOIN LATERAL (
    SELECT count(*) AS lifetime_orders FROM orders AS o2 WHERE o2.customer_id = c.customer_id
) AS lifetime
WHERE EXISTS (
    SELECT 1
    FROM orders AS o
    WHERE o.customer_id = c.customer_id
      AND o.ordered_at >= TIMESTAMP '2024-06-01' AND o.ordered_at < TIMESTAMP '2024-07-01'
      AND o.coupon_code IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM expired_coupons AS e WHERE e.code = o.coupon_code)
      AND EXISTS (SELECT 1 FROM order_items AS i WHERE i.order_id = o.order_id)
)
ORDER BY c.customer_id;
-- Why: each of the four fixes removes one kind of waste.
-- 1. date_trunc('month', ordered_at) = ... hides the column inside a function, so the index on
--    ordered_at cannot be used; a half-open range (>= June 1, < July 1) can, and it is exact for
--    any time of day (BETWEEN ... '2024-06-30' would lose June 30 after midnight).
-- 2. NOT IN meets NULL: for an order without a coupon, NULL NOT IN (...) is NULL, not true, so
--    the slow query leaves it out. NOT EXISTS alone would let it in: the IS NOT NULL keeps the
--    same rows, and NOT EXISTS becomes an anti-join instead of a subplan per row.
-- 3. The join to order_items fans every order out into its lines, and DISTINCT folds them back:
--    EXISTS asks "at least one line?" and stops at the first one (a semi-join).
-- 4. The correlated count ran once per joined row, before DISTINCT; now it runs once per customer
--    in the report, through the index on orders (customer_id) that indexes.sql adds.
