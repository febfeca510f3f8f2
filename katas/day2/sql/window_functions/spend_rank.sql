-- Users ranked by the total amount of their completed transactions, highest first:
-- user_id, total_amount, spend_rank. Equal totals share a rank; no gap after a tie (1, 2, 2, 3).
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
