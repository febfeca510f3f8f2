-- Given, do not edit. Wanted: customer_id, total_amount: the customers whose orders add up to more
-- than 100.00, with that sum.
SELECT customer_id, SUM(amount) AS total_amount
FROM orders
WHERE SUM(amount) > 100
GROUP BY customer_id;
