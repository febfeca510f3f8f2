-- Employee(id, name, salary, departmentId), Department(id, name).
-- Return Department, Employee, Salary: per department, the employees whose salary is among the
-- three highest DISTINCT salaries there (ties all kept). Any order.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
