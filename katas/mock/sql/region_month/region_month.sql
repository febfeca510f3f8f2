-- Sales by region and month over Sales(sale_id, region, sale_date, amount): region, month ('YYYY-MM'
-- text), total_sales, avg_sale, n_sales. One row for every region x every calendar month from the
-- first to the last month with any sale; an empty cell is total 0, n 0 and avg NULL. avg_sale is the
-- exact mean rounded half away from zero to 2 decimals (5.005 -> 5.01 on DuckDB too: its AVG of a
-- DECIMAL is a DOUBLE). Ordered by region, then month.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
