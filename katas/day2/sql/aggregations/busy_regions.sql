-- Busy regions: region, active_users, active_total. Only completed transactions count.
-- Active user: spend (sum of completed amounts) > 500.00. Region: users.region.
-- Busy region: more than 20 active users. active_total: the sum of its active users' spend.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
