-- Given, do not edit. Wanted: region, avg_quantity: each region's average quantity per order (the
-- customer's region), exact, not rounded.
SELECT c.region, SUM(o.quantity) / COUNT(*) AS avg_quantity
FROM orders AS o
JOIN customers AS c ON c.customer_id = o.customer_id
GROUP BY c.region;
