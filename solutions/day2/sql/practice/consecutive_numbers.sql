-- Logs(id, num). Return ConsecutiveNums: each num that appears at least three times in a row, once.
-- "In a row" = adjacent in id order; ids increase but may have gaps. Any order.
WITH neighbours AS (
    SELECT num,
           LAG(num, 1) OVER (ORDER BY id) AS previous_num,
           LAG(num, 2) OVER (ORDER BY id) AS num_before_that
    FROM Logs
)
SELECT DISTINCT num AS ConsecutiveNums
FROM neighbours
WHERE num = previous_num AND num = num_before_that;
-- Why: LAG looks at the previous rows in id order, whatever the ids are; the well-known self-join
-- on l2.id = l1.id + 1 silently assumes ids without gaps. Three equal values in a row end at some
-- row, so checking each row against its two predecessors finds every run; DISTINCT reports a
-- number once however many runs or however long. One sort by id, O(n log n).
