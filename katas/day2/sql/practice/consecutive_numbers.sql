-- Logs(id, num). Return ConsecutiveNums: each num that appears at least three times in a row, once.
-- "In a row" = adjacent in id order; ids increase but may have gaps. Any order.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
