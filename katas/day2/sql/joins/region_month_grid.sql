-- Every (region, month) pair: region, month, n_transactions, total_amount.
-- Regions: distinct users.region. Months: every calendar month (first day, a DATE) from the earliest
-- to the latest completed transaction. Count and sum completed transactions by the USER's region;
-- an empty cell is 0 and 0, not NULL and not missing. Ordered by region, then month.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
