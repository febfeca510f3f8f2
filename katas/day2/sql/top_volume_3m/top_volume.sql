-- The 5 users with the highest volume (sum of completed amounts) in the window
-- as_of - 3 months <= ts < as_of, where as_of comes from params(as_of): user_id, volume.
-- Ties: lower user_id first (also at the cut-off). Ordered by volume DESC, user_id ASC.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
