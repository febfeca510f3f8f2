-- Users with no transaction at all (any status): user_id, name.
-- transactions.user_id can be NULL; that must not hide anyone.
SELECT u.user_id, u.name
FROM users AS u
WHERE NOT EXISTS (SELECT 1 FROM transactions AS t WHERE t.user_id = u.user_id);

-- Why: NOT EXISTS is the NULL-safe anti-join. `user_id NOT IN (SELECT user_id FROM transactions)`
-- is UNKNOWN for every user as soon as the subquery holds one NULL (x <> NULL is UNKNOWN), so it
-- returns no rows at all. LEFT JOIN ... WHERE t.transaction_id IS NULL is also correct (test a
-- column that cannot be NULL in a matched row, such as the key). Both engines plan NOT EXISTS as
-- an anti-join: one hash of transactions.user_id, O(n + m).
