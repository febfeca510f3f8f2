-- Daily totals of completed transactions and their 7-calendar-day moving average:
-- day (DATE), daily_total, moving_avg = (sum of daily totals of days D-6 .. D) / 7; a day with no
-- completed transaction counts as 0. One row per day with a completed transaction, ordered by day.
WITH daily AS (
    SELECT CAST(ts AS DATE) AS day, SUM(amount) AS daily_total
    FROM transactions
    WHERE status = 'completed'
    GROUP BY CAST(ts AS DATE)
)
SELECT day, daily_total,
       SUM(daily_total) OVER (
           ORDER BY day
           RANGE BETWEEN INTERVAL '6 days' PRECEDING AND CURRENT ROW
       ) / 7 AS moving_avg
FROM daily
ORDER BY day;

-- Why: aggregate to one row per day first, then window over days. RANGE frames by the VALUE of the
-- order key (days D-6 .. D, however many rows that is); ROWS frames by position (the 7 previous
-- rows), which silently stretches over gaps. Dividing the sum by 7 makes a missing day count as 0;
-- AVG(...) over the same frame would instead average only the days that had sales, a different
-- (and usually flattering) number. The other correct form zero-fills a calendar (generate_series +
-- LEFT JOIN) and then ROWS 6 PRECEDING is right, because every day has a row. Cost: one sort by day
-- and a streaming window, O(d log d) over d days.
