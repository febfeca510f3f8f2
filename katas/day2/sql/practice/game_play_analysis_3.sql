-- Activity(player_id, device_id, event_date, games_played), one row per (player_id, event_date).
-- Return player_id, event_date, games_played_so_far: the player's games up to and including that date.
-- Any order.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
