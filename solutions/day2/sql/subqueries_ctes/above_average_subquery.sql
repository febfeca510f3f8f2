-- Users whose spend (sum of completed amounts) is strictly above their region's (users.region)
-- average spend: user_id, region, spend, region_average. Users without a completed transaction
-- take no part. Subqueries only: no WITH in this file.
SELECT s.user_id, s.region, s.spend, a.region_average
FROM (
    SELECT t.user_id, u.region, SUM(t.amount) AS spend
    FROM transactions AS t
    JOIN users AS u ON u.user_id = t.user_id
    WHERE t.status = 'completed'
    GROUP BY t.user_id, u.region
) AS s
JOIN (
    SELECT region, AVG(spend) AS region_average
    FROM (
        SELECT u.region, SUM(t.amount) AS spend
        FROM transactions AS t
        JOIN users AS u ON u.user_id = t.user_id
        WHERE t.status = 'completed'
        GROUP BY t.user_id, u.region
    ) AS per_user
    GROUP BY region
) AS a ON a.region = s.region
WHERE s.spend > a.region_average;

-- Why: the average has to be taken over per-user totals, so the per-user aggregate appears twice:
-- once to compare, once inside the regional average. That repetition is what CTEs remove (see
-- above_average_cte.sql). A correlated subquery in WHERE (`spend > (SELECT AVG ... WHERE region =
-- s.region)`) also works and modern planners decorrelate it into the same join; written naively it
-- would re-aggregate per outer row. Both engines plan this as two hash aggregates and a hash join.
