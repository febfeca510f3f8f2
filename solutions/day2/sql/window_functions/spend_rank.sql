-- Users ranked by the total amount of their completed transactions, highest first:
-- user_id, total_amount, spend_rank. Equal totals share a rank; no gap after a tie (1, 2, 2, 3).
SELECT user_id,
       SUM(amount) AS total_amount,
       DENSE_RANK() OVER (ORDER BY SUM(amount) DESC) AS spend_rank
FROM transactions
WHERE status = 'completed'
GROUP BY user_id;

-- Why: window functions run after GROUP BY, so the window can order by the aggregate directly.
-- ROW_NUMBER gives ties different numbers, RANK leaves gaps after ties (1, 2, 2, 4), DENSE_RANK
-- does not (1, 2, 2, 3): say which one the question asks for before you write it. Filtering on
-- status belongs in WHERE (row level), before the grouping.
