-- Sales by region and month over Sales(sale_id, region, sale_date, amount): region, month ('YYYY-MM'
-- text), total_sales, avg_sale, n_sales. One row for every region x every calendar month from the
-- first to the last month with any sale; an empty cell is total 0, n 0 and avg NULL. avg_sale is the
-- exact mean rounded half away from zero to 2 decimals (5.005 -> 5.01 on DuckDB too: its AVG of a
-- DECIMAL is a DOUBLE). Ordered by region, then month.
WITH monthly AS (
    SELECT region, CAST(date_trunc('month', sale_date) AS DATE) AS month_start, sale_id, amount
    FROM Sales
),
months AS (
    SELECT CAST(m AS DATE) AS month_start
    FROM generate_series(
        (SELECT CAST(MIN(month_start) AS TIMESTAMP) FROM monthly),
        (SELECT CAST(MAX(month_start) AS TIMESTAMP) FROM monthly),
        INTERVAL '1 month') AS g(m)
),
regions AS (
    SELECT DISTINCT region FROM Sales
)
SELECT r.region,
       LEFT(CAST(m.month_start AS VARCHAR), 7) AS month,
       COALESCE(SUM(s.amount), 0) AS total_sales,
       ROUND(CAST(AVG(s.amount) AS DECIMAL(18, 6)), 2) AS avg_sale,
       COUNT(s.sale_id) AS n_sales
FROM regions AS r
CROSS JOIN months AS m
LEFT JOIN monthly AS s ON s.region = r.region AND s.month_start = m.month_start
GROUP BY r.region, m.month_start
ORDER BY r.region, m.month_start;

-- Why: the grid (regions CROSS JOIN a generate_series of months, LEFT JOIN the sales) makes the
-- empty cells rows, as in day2.sql.joins. In an empty cell SUM is NULL, so COALESCE it to 0;
-- COUNT(s.sale_id) counts 0 where COUNT(*) would count the NULL row as 1; and AVG of no rows is
-- NULL, which is the right answer: no average exists. The CAST before ROUND is for DuckDB: its AVG
-- of a DECIMAL is a DOUBLE, where 5.005 is 5.00499999..., so ROUND would give 5.00. Casting to six
-- decimals first turns it back into 5.005000 (the nearest DECIMAL), and ROUND of a DECIMAL rounds
-- half away from zero on both engines. On PostgreSQL AVG is already an exact NUMERIC and the CAST
-- changes nothing. (The cast could only mislead for a mean within a millionth of a half cent that
-- is not one, which takes more than 10,000 sales in one cell.)
