-- Each user's latest transaction: user_id, transaction_id, amount, ts.
-- Latest by ts; when two share the latest ts, the higher transaction_id wins. One row per user.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
