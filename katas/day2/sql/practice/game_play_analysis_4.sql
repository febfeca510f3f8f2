-- Activity(player_id, device_id, event_date, games_played), one row per (player_id, event_date).
-- Return fraction: the share of players who logged in again the day after their FIRST login,
-- rounded to 2 decimals. Every player counts in the denominator.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
