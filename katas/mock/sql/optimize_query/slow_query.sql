-- GIVEN: do not edit. The slow query: the June 2024 coupon report. Customers who placed an order
-- in June 2024 that has at least one line and a coupon that has not expired, with the number of
-- orders each customer has placed in all, ordered by customer_id.
SELECT DISTINCT c.customer_id, c.email,
       (SELECT count(*) FROM orders AS o2 WHERE o2.customer_id = c.customer_id) AS lifetime_orders
FROM customers AS c
JOIN orders AS o ON o.customer_id = c.customer_id
JOIN order_items AS i ON i.order_id = o.order_id
WHERE date_trunc('month', o.ordered_at) = TIMESTAMP '2024-06-01'
  AND o.coupon_code NOT IN (SELECT code FROM expired_coupons)
ORDER BY c.customer_id
