-- Busy regions: region, active_users, active_total. Only completed transactions count.
-- Active user: spend (sum of completed amounts) > 500.00. Region: users.region.
-- Busy region: more than 20 active users. active_total: the sum of its active users' spend.
WITH active_users AS (
    SELECT u.region, t.user_id, SUM(t.amount) AS spend
    FROM transactions AS t
    JOIN users AS u ON u.user_id = t.user_id
    WHERE t.status = 'completed'          -- a row filter: before grouping
    GROUP BY u.region, t.user_id
    HAVING SUM(t.amount) > 500            -- a group filter: on the user's total
)
SELECT region, COUNT(*) AS active_users, SUM(spend) AS active_total
FROM active_users
GROUP BY region
HAVING COUNT(*) > 20;

-- Why: WHERE runs on rows before GROUP BY, HAVING on groups after it, so each condition goes where
-- its subject lives: the status of one payment in WHERE, the user's total in HAVING, the region's
-- head count in the outer HAVING. Moving `> 500` into WHERE compiles and answers another question
-- (users with a single payment over 500). Filtering rows in WHERE also makes the aggregate cheaper:
-- fewer rows reach the hash table. Two hash aggregates, O(n). In the interview, say which level each
-- predicate belongs to before writing it; a CTE per level keeps that visible.
