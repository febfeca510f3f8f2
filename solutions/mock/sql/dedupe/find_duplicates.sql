-- Every email that is on more than one row of Person(id, email), each email once: column `email`.
-- Emails compare exactly ('Ann@x.io' <> 'ann@x.io'); a NULL email is nobody's duplicate. Any order.
SELECT email
FROM Person
WHERE email IS NOT NULL
GROUP BY email
HAVING COUNT(*) > 1;

-- Why: GROUP BY puts equal emails in one group and HAVING keeps the groups of two or more rows, so
-- each email comes out once (a self-join on email lists it once per pair and needs DISTINCT). GROUP
-- BY treats all NULLs as one group, which is why they are filtered first: `=` never calls two NULLs
-- equal, and neither does the UNIQUE constraint you add once the table is clean. One hash
-- aggregation, O(n); the same query with `COUNT(*)` in the select list answers "how many copies".
