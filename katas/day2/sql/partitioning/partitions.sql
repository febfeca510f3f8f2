-- PostgreSQL only. Create the table transactions, partitioned by RANGE on ts, with the columns of
-- dojo/sql/schema.py in the same order:
--   transaction_id BIGINT, user_id INTEGER, amount NUMERIC(12, 2), currency VARCHAR,
--   status VARCHAR, region VARCHAR, ts TIMESTAMP
-- then one partition per month of 2024, named transactions_2024_01 .. transactions_2024_12,
-- and a DEFAULT partition named transactions_default for every other row.
-- TODO: replace the line below with your DDL.
SELECT 'TODO' AS todo;
