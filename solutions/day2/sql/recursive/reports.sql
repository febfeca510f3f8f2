-- Every direct and indirect report of the manager in params(manager_id):
-- employee_id, name, depth (1 = direct report), path (ids from the manager down, joined by '/').
-- The manager never appears; a cycle stops at an employee already on the path.
WITH RECURSIVE reports AS (
    SELECT e.employee_id, e.name, 1 AS depth,
           CAST(p.manager_id AS TEXT) || '/' || CAST(e.employee_id AS TEXT) AS path
    FROM employees AS e
    JOIN params AS p ON e.manager_id = p.manager_id
    WHERE e.employee_id <> p.manager_id                  -- a self-managed root is not its own report
    UNION ALL
    SELECT e.employee_id, e.name, r.depth + 1,
           r.path || '/' || CAST(e.employee_id AS TEXT)
    FROM reports AS r
    JOIN employees AS e ON e.manager_id = r.employee_id
    WHERE ('/' || r.path || '/') NOT LIKE ('%/' || CAST(e.employee_id AS TEXT) || '/%')   -- not on the path yet
)
SELECT employee_id, name, depth, path
FROM reports;

-- Why: the anchor selects the direct reports; the recursive part joins the previous level to its
-- reports until a level comes back empty. Termination is the whole game: with a cycle the levels
-- never run dry, so carry the path and refuse an employee already on it (wrapping the path in '/'
-- makes '1' not match inside '11'). A depth cap (depth < 20) also stops, but repeats everyone on the
-- cycle until the cap. PostgreSQL 14+ has `CYCLE employee_id SET is_cycle USING visited` for this;
-- the path check is the portable form. Cost: one join per level, O(reports x depth) with an index on
-- manager_id. Say in the interview what you do with dirty data before you are asked.
