-- Monthly sales and their 3-month rolling average, over Sales(sale_id, region, sale_date, amount):
-- month ('YYYY-MM' text), total_sales, rolling_avg_3m. Every calendar month from the first to the
-- last month with sales (a month without sales: total 0); rolling_avg_3m = average of this month's
-- and the two previous months' totals (fewer at the start), rounded to 2 decimals. Ordered by month.
WITH monthly AS (
    SELECT CAST(date_trunc('month', sale_date) AS DATE) AS month_start, SUM(amount) AS total
    FROM Sales
    GROUP BY CAST(date_trunc('month', sale_date) AS DATE)
),
months AS (
    SELECT CAST(m AS DATE) AS month_start
    FROM generate_series(
        (SELECT CAST(MIN(month_start) AS TIMESTAMP) FROM monthly),
        (SELECT CAST(MAX(month_start) AS TIMESTAMP) FROM monthly),
        INTERVAL '1 month') AS g(m)
),
filled AS (
    SELECT months.month_start, COALESCE(monthly.total, 0) AS total_sales
    FROM months
    LEFT JOIN monthly ON monthly.month_start = months.month_start
)
SELECT LEFT(CAST(month_start AS VARCHAR), 7) AS month,
       total_sales,
       ROUND(AVG(total_sales) OVER (ORDER BY month_start ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2)
           AS rolling_avg_3m
FROM filled
ORDER BY month_start;

-- Why: three steps, each fixing one trap. (1) Sum per month first, so the window moves over months,
-- not over sales. (2) A spine of every calendar month from generate_series, LEFT JOINed to the
-- sums with COALESCE(..., 0): a month without sales becomes a row of 0 instead of vanishing (a
-- GROUP BY cannot invent it, and a NULL would be skipped by AVG). (3) Because every month now has
-- exactly one row, ROWS BETWEEN 2 PRECEDING is exactly "the last three calendar months", and AVG
-- divides by the rows in the frame, which is 1 and 2 for the first two months: the partial window
-- the question asks for (SUM / 3 would shrink them). ROUND comes last, on the average, never on the
-- monthly totals. Cost: one aggregate, a spine as long as the months, one sort and a streaming window.
