-- Total amount of completed transactions per calendar month and its change from the previous month:
-- month (first day of the month, a DATE), total_amount, change. The first month's change is NULL.
-- Ordered by month.
WITH monthly AS (
    SELECT CAST(date_trunc('month', ts) AS DATE) AS month, SUM(amount) AS total_amount
    FROM transactions
    WHERE status = 'completed'
    GROUP BY 1
)
SELECT month, total_amount,
       total_amount - LAG(total_amount) OVER (ORDER BY month) AS change
FROM monthly
ORDER BY month;

-- Why: aggregate first, then look back one row with LAG over the monthly totals. LAG returns NULL
-- for the first row, and NULL is the honest answer ("no previous month"), where COALESCE(..., 0)
-- would claim "no change". Note that LAG looks at the previous ROW: a month with no transactions
-- is simply absent, so compare with the previous month in the data, or zero-fill a calendar first
-- (see day2.sql.joins) when the question asks for calendar months.
