-- Each user's latest transaction: user_id, transaction_id, amount, ts.
-- Latest by ts; when two share the latest ts, the higher transaction_id wins. One row per user.
WITH ranked AS (
    SELECT user_id, transaction_id, amount, ts,
           ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC, transaction_id DESC) AS recency
    FROM transactions
)
SELECT user_id, transaction_id, amount, ts
FROM ranked
WHERE recency = 1;

-- Why: ROW_NUMBER numbers rows inside each user's partition in one sort, so exactly one row per
-- user survives. The tie-breaker makes the answer deterministic; without it, ties come back in
-- whatever order the engine happens to sort. The classic alternative, a join on MAX(ts), returns
-- every row that ties for the maximum. Cost: one sort by (user_id, ts), O(n log n); an index on
-- (user_id, ts DESC) lets PostgreSQL skip the sort.
