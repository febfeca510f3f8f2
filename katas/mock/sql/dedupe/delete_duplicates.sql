-- ONE DELETE on Person(id, email): for each email keep only the row with the smallest id.
-- Emails compare exactly; rows whose email is NULL are never deleted. A second run deletes nothing.
-- TODO: replace the line below with a DELETE statement.
SELECT 'TODO' AS todo;
