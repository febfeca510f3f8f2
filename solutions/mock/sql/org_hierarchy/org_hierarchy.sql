-- employee_id of every employee who reports to the head (employee 1, their own manager), directly or
-- indirectly, at any depth; never the head. Must terminate when other rows manage themselves or form
-- a cycle outside the head's tree. Any row order.
WITH RECURSIVE under_head AS (
    SELECT employee_id
    FROM Employees
    WHERE manager_id = 1 AND employee_id <> 1            -- the head manages themselves: not their own report
    UNION
    SELECT e.employee_id
    FROM Employees AS e
    JOIN under_head AS u ON e.manager_id = u.employee_id
)
SELECT employee_id
FROM under_head;

-- Why: walk DOWN from the head. A row joins the result only when its manager is already in it, so
-- every row found has a chain of managers leading up to the head; an employee on a cycle (or their
-- own manager) has no such chain and is never reached: the walk cannot enter a cycle that does not
-- contain the head, and the head's own loop is cut in the anchor. UNION instead of UNION ALL is the
-- belt to those braces (it drops rows already found). Walking UP from every employee also works, but
-- only with UNION: with UNION ALL a cycle elsewhere loops forever. One join per level, so
-- O(employees under the head x depth) with an index on manager_id; the public three-join answer
-- stops at depth 3.
