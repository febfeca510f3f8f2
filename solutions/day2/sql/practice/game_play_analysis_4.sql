-- Activity(player_id, device_id, event_date, games_played), one row per (player_id, event_date).
-- Return fraction: the share of players who logged in again the day after their FIRST login,
-- rounded to 2 decimals. Every player counts in the denominator.
WITH first_login AS (
    SELECT player_id, MIN(event_date) AS first_day
    FROM Activity
    GROUP BY player_id
)
SELECT ROUND(COUNT(a.player_id) * 1.0 / COUNT(*), 2) AS fraction
FROM first_login AS f
LEFT JOIN Activity AS a
       ON a.player_id = f.player_id
      AND a.event_date = f.first_day + INTERVAL '1 day';
-- Why: find each player's first day, then LEFT JOIN the row of the next day: COUNT(*) counts every
-- player (the denominator), COUNT(a.player_id) only those with a match. Any two consecutive days is
-- a different question. Multiply by 1.0 before dividing: PostgreSQL divides integers as integers
-- (1 / 3 = 0) while DuckDB's / gives a float, so the bug hides on one engine. One GROUP BY plus one
-- join on the (player_id, event_date) key.
