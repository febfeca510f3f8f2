-- Customer(customer_id, name, visited_on, amount).
-- Return visited_on, amount, average_amount: for each day with visits, from first day + 6 on,
-- amount = total over the 7 calendar days ending that day, average_amount = ROUND(amount / 7, 2).
-- Several visits on one day are summed; a day without visits counts as 0. Ordered by visited_on.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
