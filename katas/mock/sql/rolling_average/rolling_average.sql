-- Monthly sales and their 3-month rolling average, over Sales(sale_id, region, sale_date, amount):
-- month ('YYYY-MM' text), total_sales, rolling_avg_3m. Every calendar month from the first to the
-- last month with sales (a month without sales: total 0); rolling_avg_3m = average of this month's
-- and the two previous months' totals (fewer at the start), rounded to 2 decimals. Ordered by month.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
