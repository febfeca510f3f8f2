-- Every user with the number and sum of their completed transactions:
-- user_id, name, n_completed, total_amount. A user without any gets 0 and 0 (not NULL, not left out).
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
