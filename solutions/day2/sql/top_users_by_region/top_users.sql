-- Top 3 users per region (users.region) by spend (sum of completed amounts), ties kept:
-- region, user_id, spend, region_rank = RANK() within the region, highest first; keep rank <= 3.
WITH ranked AS (
    SELECT u.region, t.user_id, SUM(t.amount) AS spend,
           RANK() OVER (PARTITION BY u.region ORDER BY SUM(t.amount) DESC) AS region_rank
    FROM transactions AS t
    JOIN users AS u ON u.user_id = t.user_id
    WHERE t.status = 'completed'
    GROUP BY u.region, t.user_id
)
SELECT region, user_id, spend, region_rank
FROM ranked
WHERE region_rank <= 3;

-- Why: the window runs after GROUP BY, so it can rank the aggregate, and PARTITION BY restarts the
-- ranking per region. A window result cannot be filtered in the same SELECT's WHERE (WHERE runs
-- before windows), hence the CTE. The tie policy is a product decision: RANK keeps everyone tied at
-- the cut-off (the report can have more than 3 rows), ROW_NUMBER keeps exactly 3 and needs a
-- tie-breaker to be deterministic, DENSE_RANK <= 3 means "the top 3 distinct spends" and can return
-- many more users. Cost: a hash aggregate, then one sort by (region, spend). PostgreSQL cannot push
-- `region_rank <= 3` into the window; on huge tables a LATERAL top-3 per region with an index wins.
