-- PostgreSQL only. Write at most THREE CREATE INDEX statements on transactions so that the four
-- queries in README.md each read an index (Index Scan, Index Only Scan or Bitmap Index Scan):
--   user_history:  WHERE user_id = ? AND ts in a range
--   user_latest:   WHERE user_id = ? ORDER BY ts DESC LIMIT 10   (no Sort node)
--   pending_queue: WHERE status = 'pending' ORDER BY ts LIMIT 20   (a PARTIAL index; no Sort node)
--   day_total:     sum(amount) WHERE ts in one day                 (an Index Only Scan)
CREATE INDEX transactions_user_ts ON transactions (user_id, ts);
CREATE INDEX transactions_pending_ts ON transactions (ts) WHERE status = 'pending';
CREATE INDEX transactions_ts_amount ON transactions (ts) INCLUDE (amount);
-- Why: one index per access path, shaped by the query. (user_id, ts) puts the equality column
-- first, so one user's rows are contiguous and already in ts order: it serves the range query
-- (both conditions in the Index Cond) and the "latest 10" query (read backwards, no sort).
-- (ts, user_id) would make the user an in-index filter over a whole time range. The pending
-- queue is 5% of the table: a partial index on ts holds only those rows, is about 20x smaller,
-- is read in order, and costs nothing on writes of other statuses. The day total reads only ts
-- and amount: INCLUDE (amount) carries the value in the leaf, so the heap is never visited
-- (an Index Only Scan, as long as VACUUM keeps the visibility map current).
-- Interview points: every index costs write amplification, space and cache; an index on every
-- column is not a strategy, and PostgreSQL uses at most a few per table access anyway (bitmap
-- AND/OR aside). Check with EXPLAIN, drop what pg_stat_user_indexes shows is never used.
