-- ONE DELETE on Person(id, email): for each email keep only the row with the smallest id.
-- Emails compare exactly; rows whose email is NULL are never deleted. A second run deletes nothing.
DELETE FROM Person
WHERE EXISTS (
    SELECT 1
    FROM Person AS older
    WHERE older.email = Person.email
      AND older.id < Person.id
);

-- Why: a row goes exactly when an older row (smaller id) has the same email, which is the rule
-- itself, written as a correlated EXISTS: standard SQL that runs unchanged on DuckDB and PostgreSQL
-- (MySQL's `DELETE p1 FROM Person p1, Person p2` is not). `older.email = Person.email` is never true
-- for a NULL, so NULL rows stay; every extra copy goes in one run, so a second run finds nothing.
-- The usual alternative, `WHERE id NOT IN (SELECT MIN(id) FROM Person GROUP BY email)`, is right
-- for NOT NULL emails but keeps only one of the NULL rows. On a big table, an index on (email, id)
-- serves the EXISTS; afterwards a UNIQUE constraint on email stops new duplicates at the door.
