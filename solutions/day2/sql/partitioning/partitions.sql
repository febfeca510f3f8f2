-- PostgreSQL only. Create the table transactions, partitioned by RANGE on ts, with the columns of
-- dojo/sql/schema.py in the same order:
--   transaction_id BIGINT, user_id INTEGER, amount NUMERIC(12, 2), currency VARCHAR,
--   status VARCHAR, region VARCHAR, ts TIMESTAMP
-- then one partition per month of 2024, named transactions_2024_01 .. transactions_2024_12,
-- and a DEFAULT partition named transactions_default for every other row.
CREATE TABLE transactions (
    transaction_id BIGINT, user_id INTEGER, amount NUMERIC(12, 2), currency VARCHAR,
    status VARCHAR, region VARCHAR, ts TIMESTAMP
) PARTITION BY RANGE (ts);
CREATE TABLE transactions_2024_01 PARTITION OF transactions
    FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE transactions_2024_02 PARTITION OF transactions
    FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE transactions_2024_03 PARTITION OF transactions
    FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
CREATE TABLE transactions_2024_04 PARTITION OF transactions
    FOR VALUES FROM ('2024-04-01') TO ('2024-05-01');
CREATE TABLE transactions_2024_05 PARTITION OF transactions
    FOR VALUES FROM ('2024-05-01') TO ('2024-06-01');
CREATE TABLE transactions_2024_06 PARTITION OF transactions
    FOR VALUES FROM ('2024-06-01') TO ('2024-07-01');
CREATE TABLE transactions_2024_07 PARTITION OF transactions
    FOR VALUES FROM ('2024-07-01') TO ('2024-08-01');
CREATE TABLE transactions_2024_08 PARTITION OF transactions
    FOR VALUES FROM ('2024-08-01') TO ('2024-09-01');
CREATE TABLE transactions_2024_09 PARTITION OF transactions
    FOR VALUES FROM ('2024-09-01') TO ('2024-10-01');
CREATE TABLE transactions_2024_10 PARTITION OF transactions
    FOR VALUES FROM ('2024-10-01') TO ('2024-11-01');
CREATE TABLE transactions_2024_11 PARTITION OF transactions
    FOR VALUES FROM ('2024-11-01') TO ('2024-12-01');
CREATE TABLE transactions_2024_12 PARTITION OF transactions
    FOR VALUES FROM ('2024-12-01') TO ('2025-01-01');
CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;
-- Why: range bounds are half-open, FROM inclusive and TO exclusive, so each month ends exactly
-- where the next begins: no gap for 23:59:59.5, no instant in two months. Writing
-- TO ('2024-03-31') or TO ('2024-03-31 23:59:59') loses the tail of the month to the default.
-- The DEFAULT partition keeps inserts from failing for out-of-range or NULL ts, at a price:
-- adding a new month later must scan the default for rows that belong to it, so keep it small
-- (create months ahead, e.g. with pg_partman or a cron job). Pruning works because the WHERE
-- clause constrains the key column itself; wrap ts in a function and every partition is read.
-- Interview points: partitions make retention a DROP/DETACH, not a DELETE; indexes are per
-- partition; unique keys must include the partition key; too many tiny partitions cost planning time.
