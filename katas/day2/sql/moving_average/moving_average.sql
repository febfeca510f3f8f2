-- Daily totals of completed transactions and their 7-calendar-day moving average:
-- day (DATE), daily_total, moving_avg = (sum of daily totals of days D-6 .. D) / 7; a day with no
-- completed transaction counts as 0. One row per day with a completed transaction, ordered by day.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
