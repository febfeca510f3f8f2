-- employee_id of every employee who reports to the head (employee 1, their own manager), directly or
-- indirectly, at any depth; never the head. Must terminate when other rows manage themselves or form
-- a cycle outside the head's tree. Any row order.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
