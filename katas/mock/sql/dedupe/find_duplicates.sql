-- Every email that is on more than one row of Person(id, email), each email once: column `email`.
-- Emails compare exactly ('Ann@x.io' <> 'ann@x.io'); a NULL email is nobody's duplicate. Any order.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
