-- Activity(player_id, device_id, event_date, games_played), one row per (player_id, event_date).
-- Return player_id, event_date, games_played_so_far: the player's games up to and including that date.
-- Any order.
SELECT player_id,
       event_date,
       SUM(games_played) OVER (PARTITION BY player_id ORDER BY event_date) AS games_played_so_far
FROM Activity;
-- Why: a running total is SUM with ORDER BY inside OVER; PARTITION BY restarts it per player.
-- Without ORDER BY the window is the whole partition (every row gets the player's total); the
-- default frame with ORDER BY is RANGE UNBOUNDED PRECEDING .. CURRENT ROW, which is right here
-- because (player_id, event_date) is unique. O(n log n) for the sort, versus O(n^2) for the
-- self-join "a2.event_date <= a1.event_date" it replaces.
