-- Every (region, month) pair: region, month, n_transactions, total_amount.
-- Regions: distinct users.region. Months: every calendar month (first day, a DATE) from the earliest
-- to the latest completed transaction. Count and sum completed transactions by the USER's region;
-- an empty cell is 0 and 0, not NULL and not missing. Ordered by region, then month.
WITH completed AS (
    SELECT u.region, CAST(date_trunc('month', t.ts) AS DATE) AS month, t.transaction_id, t.amount
    FROM transactions AS t
    JOIN users AS u ON u.user_id = t.user_id
    WHERE t.status = 'completed'
),
months AS (
    SELECT CAST(m AS DATE) AS month
    FROM generate_series(
        (SELECT CAST(MIN(month) AS TIMESTAMP) FROM completed),
        (SELECT CAST(MAX(month) AS TIMESTAMP) FROM completed),
        INTERVAL '1 month') AS g(m)
),
regions AS (
    SELECT DISTINCT region FROM users
)
SELECT r.region, m.month,
       COUNT(c.transaction_id) AS n_transactions,
       COALESCE(SUM(c.amount), 0) AS total_amount
FROM regions AS r
CROSS JOIN months AS m
LEFT JOIN completed AS c ON c.region = r.region AND c.month = m.month
GROUP BY r.region, m.month
ORDER BY r.region, m.month;

-- Why: a GROUP BY only produces groups that have rows, so the empty cells have to come from
-- somewhere else: build the grid first (CROSS JOIN of the two dimensions, the months from
-- generate_series so a month nobody paid in still exists), then LEFT JOIN the facts onto it.
-- COUNT(column) counts 0 for an unmatched cell where COUNT(*) counts the NULL row as 1, and SUM
-- of nothing is NULL, hence COALESCE. The status filter lives inside the `completed` CTE: written
-- in the outer WHERE it would discard the NULL rows of empty cells and undo the outer join.
