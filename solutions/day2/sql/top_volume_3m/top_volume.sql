-- The 5 users with the highest volume (sum of completed amounts) in the window
-- as_of - 3 months <= ts < as_of, where as_of comes from params(as_of): user_id, volume.
-- Ties: lower user_id first (also at the cut-off). Ordered by volume DESC, user_id ASC.
SELECT t.user_id, SUM(t.amount) AS volume
FROM transactions AS t
CROSS JOIN params AS p
WHERE t.status = 'completed'
  AND t.ts >= p.as_of - INTERVAL '3 months'
  AND t.ts < p.as_of
GROUP BY t.user_id
ORDER BY volume DESC, t.user_id ASC
LIMIT 5;

-- Why: a half-open window [start, end) is the only one that tiles: back-to-back reports count an
-- instant at midnight exactly once, where BETWEEN counts it in both and `ts > start` in neither.
-- Compare the raw timestamp with the bounds instead of CAST(ts AS DATE): the comparison stays
-- sargable (an index on ts, or partition pruning, can use it). A top-N needs a total order or it
-- is not an answer: ORDER BY volume alone lets the engine pick any of the tied users, so the
-- tie-breaker is part of the spec. Cost: one scan of the window, a hash aggregate, a top-5 heap.
-- If the question were "keep everyone tied at 5th place", use RANK() <= 5 instead of LIMIT.
