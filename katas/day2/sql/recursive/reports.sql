-- Every direct and indirect report of the manager in params(manager_id):
-- employee_id, name, depth (1 = direct report), path (ids from the manager down, joined by '/').
-- The manager never appears; a cycle stops at an employee already on the path.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
