-- Top 3 users per region (users.region) by spend (sum of completed amounts), ties kept:
-- region, user_id, spend, region_rank = RANK() within the region, highest first; keep rank <= 3.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
