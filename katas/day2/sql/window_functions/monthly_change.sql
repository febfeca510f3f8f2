-- Total amount of completed transactions per calendar month and its change from the previous month:
-- month (first day of the month, a DATE), total_amount, change. The first month's change is NULL.
-- Ordered by month.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
