-- Given, do not edit. Wanted: customer_id, name, total_amount: each customer who ordered, with the
-- sum of their orders' amounts.
SELECT o.customer_id, c.name, SUM(o.amount) AS total_amount
FROM orders AS o
JOIN customers AS c ON c.customer_id = o.customer_id
GROUP BY o.customer_id;
