-- Given, do not edit. Wanted: customer_id, n_orders: EVERY customer with their number of orders,
-- 0 for a customer who never ordered.
SELECT c.customer_id, COUNT(*) AS n_orders
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.customer_id
GROUP BY c.customer_id;
