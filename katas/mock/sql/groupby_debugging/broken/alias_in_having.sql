-- Given, do not edit. Wanted: order_month, total_amount: each month (1 to 12; all orders are in 2024)
-- whose orders add up to more than 100.00, with that sum.
SELECT EXTRACT(MONTH FROM order_date) AS order_month, SUM(amount) AS total_amount
FROM orders
GROUP BY order_month
HAVING total_amount > 100;
