-- Customer(customer_id, name, visited_on, amount).
-- Return visited_on, amount, average_amount: for each day with visits, from first day + 6 on,
-- amount = total over the 7 calendar days ending that day, average_amount = ROUND(amount / 7, 2).
-- Several visits on one day are summed; a day without visits counts as 0. Ordered by visited_on.
WITH daily AS (
    SELECT visited_on, SUM(amount) AS amount
    FROM Customer
    GROUP BY visited_on
), windowed AS (
    SELECT visited_on,
           SUM(amount) OVER (ORDER BY visited_on
                             RANGE BETWEEN INTERVAL '6 days' PRECEDING AND CURRENT ROW) AS amount
    FROM daily
)
SELECT visited_on, amount, ROUND(amount / 7.0, 2) AS average_amount
FROM windowed
WHERE visited_on >= (SELECT MIN(visited_on) FROM Customer) + INTERVAL '6 days'
ORDER BY visited_on;
-- Why: sum per day FIRST (several visits on one day), then a RANGE window over 7 calendar days.
-- ROWS BETWEEN 6 PRECEDING counts rows, not days: it is right only while every day has visits
-- (the platform's guarantee) and silently reaches back too far after a gap. Filter after the
-- window, not before, or the first six days never enter the sums. The self-join
-- "d2.visited_on BETWEEN d1.visited_on - 6 AND d1.visited_on" is the window-free equivalent.
