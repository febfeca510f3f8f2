-- PostgreSQL only. Write at most THREE CREATE INDEX statements on transactions so that the four
-- queries in README.md each read an index (Index Scan, Index Only Scan or Bitmap Index Scan):
--   user_history:  WHERE user_id = ? AND ts in a range
--   user_latest:   WHERE user_id = ? ORDER BY ts DESC LIMIT 10   (no Sort node)
--   pending_queue: WHERE status = 'pending' ORDER BY ts LIMIT 20   (a PARTIAL index; no Sort node)
--   day_total:     sum(amount) WHERE ts in one day                 (an Index Only Scan)
-- TODO: replace the line below with your CREATE INDEX statements.
SELECT 'TODO' AS todo;
