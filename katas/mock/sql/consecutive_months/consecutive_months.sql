-- Customers who ordered in two consecutive calendar months, over Orders(order_id, customer_id,
-- order_date, total_amount): customer_id, month1, month2 ('YYYY-MM' text), one row per pair of
-- consecutive months with orders in both (December to January counts; several orders in a month
-- count once). Any row order.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
