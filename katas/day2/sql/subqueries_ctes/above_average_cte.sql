-- Users whose spend (sum of completed amounts) is strictly above their region's (users.region)
-- average spend: user_id, region, spend, region_average. Users without a completed transaction
-- take no part. The same rows as above_average_subquery.sql, written with WITH.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
