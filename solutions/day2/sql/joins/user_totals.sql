-- Every user with the number and sum of their completed transactions:
-- user_id, name, n_completed, total_amount. A user without any gets 0 and 0 (not NULL, not left out).
SELECT u.user_id, u.name,
       COUNT(t.transaction_id) AS n_completed,
       COALESCE(SUM(t.amount), 0) AS total_amount
FROM users AS u
LEFT JOIN transactions AS t
       ON t.user_id = u.user_id AND t.status = 'completed'
GROUP BY u.user_id, u.name;

-- Why: the LEFT JOIN keeps every user; the status condition belongs in ON, where it decides which
-- transactions match, not in WHERE, where `t.status = 'completed'` is UNKNOWN for the NULL row of a
-- user without matches and throws that user away (the outer join silently becomes inner).
-- COUNT(t.transaction_id) is 0 for such a user, COUNT(*) would say 1. One hash join plus one hash
-- aggregate, O(n + m); pre-aggregating transactions per user in a subquery first is equivalent and
-- often faster when transactions is much larger than users.
