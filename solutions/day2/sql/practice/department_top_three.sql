-- Employee(id, name, salary, departmentId), Department(id, name).
-- Return Department, Employee, Salary: per department, the employees whose salary is among the
-- three highest DISTINCT salaries there (ties all kept). Any order.
WITH ranked AS (
    SELECT name, salary, departmentId,
           DENSE_RANK() OVER (PARTITION BY departmentId ORDER BY salary DESC) AS salary_rank
    FROM Employee
)
SELECT d.name AS Department, r.name AS Employee, r.salary AS Salary
FROM ranked AS r
JOIN Department AS d ON d.id = r.departmentId
WHERE r.salary_rank <= 3;
-- Why: "top three salaries" counts distinct salary values, so equal salaries share a rank and the
-- next salary is still third: DENSE_RANK. RANK would skip a rank after a tie and drop the third
-- salary; ROW_NUMBER would cut tied employees at random. The classic correlated alternative is
-- "fewer than 3 distinct higher salaries in my department", O(n^2) but window-free.
