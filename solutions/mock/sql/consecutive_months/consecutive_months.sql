-- Customers who ordered in two consecutive calendar months, over Orders(order_id, customer_id,
-- order_date, total_amount): customer_id, month1, month2 ('YYYY-MM' text), one row per pair of
-- consecutive months with orders in both (December to January counts; several orders in a month
-- count once). Any row order.
WITH customer_months AS (
    SELECT DISTINCT customer_id, CAST(date_trunc('month', order_date) AS DATE) AS month_start
    FROM Orders
)
SELECT earlier.customer_id,
       LEFT(CAST(earlier.month_start AS VARCHAR), 7) AS month1,
       LEFT(CAST(later.month_start AS VARCHAR), 7) AS month2
FROM customer_months AS earlier
JOIN customer_months AS later
  ON later.customer_id = earlier.customer_id
 AND later.month_start = CAST(earlier.month_start + INTERVAL '1 month' AS DATE);

-- Why: reduce the orders to one row per (customer, calendar month) first (DISTINCT on the month's
-- first day), so ten orders in March are one March; then a self-join asks "did the same customer
-- order in the month right after?". The month arithmetic is done on dates (first day + 1 month),
-- which crosses December to January by itself; EXTRACT(MONTH) + 1 does not. The window version,
-- LAG(month_start) OVER (PARTITION BY customer_id ORDER BY month_start), is as good but must still
-- check that the previous month is exactly one month earlier: LAG gives the previous month the
-- customer ordered in, not the previous calendar month. Cost: one pass to build the distinct
-- months, then a hash join on (customer_id, month_start).
