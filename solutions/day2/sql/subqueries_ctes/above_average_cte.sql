-- Users whose spend (sum of completed amounts) is strictly above their region's (users.region)
-- average spend: user_id, region, spend, region_average. Users without a completed transaction
-- take no part. The same rows as above_average_subquery.sql, written with WITH.
WITH spend AS (
    SELECT t.user_id, u.region, SUM(t.amount) AS spend
    FROM transactions AS t
    JOIN users AS u ON u.user_id = t.user_id
    WHERE t.status = 'completed'
    GROUP BY t.user_id, u.region
),
region_average AS (
    SELECT region, AVG(spend) AS region_average
    FROM spend
    GROUP BY region
)
SELECT s.user_id, s.region, s.spend, a.region_average
FROM spend AS s
JOIN region_average AS a ON a.region = s.region
WHERE s.spend > a.region_average;

-- Why: a CTE names an intermediate result once and reads top to bottom, so the per-user totals are
-- written once and reused. It is not a cache by default: PostgreSQL 12+ inlines a CTE referenced
-- once and materialises one referenced twice (force either with [NOT] MATERIALIZED); DuckDB decides
-- itself. A window function gives a third form in one pass: AVG(spend) OVER (PARTITION BY region).
-- Say which you would ship (the CTE, for reading) and that the results are identical.
