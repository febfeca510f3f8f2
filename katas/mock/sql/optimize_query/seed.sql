-- GIVEN: do not edit. The data, generated inside PostgreSQL from a fixed seed, so every run builds
-- the same rows: 10,000 customers, 100,000 orders over 2023-2024, ~200,000 order lines.
SELECT setseed(0.42);

INSERT INTO customers
SELECT i, 'customer' || i || '@example.com', (ARRAY['DE', 'FR', 'NL', 'PL', 'US'])[1 + i % 5]
FROM generate_series(1, 10000) AS i;

INSERT INTO orders
SELECT i,
       1 + floor(random() * 10000)::integer,
       TIMESTAMP '2023-01-01' + floor(random() * 731 * 24) * INTERVAL '1 hour',
       round((5 + random() * 195)::numeric, 2),
       CASE WHEN random() < 0.5 THEN NULL ELSE 'C' || lpad((1 + floor(random() * 40))::text, 2, '0') END
FROM generate_series(1, 100000) AS i;

-- 0 to 4 lines per order: about one order in five has none (a cart that was never filled).
INSERT INTO order_items
SELECT o.order_id, line_no, 1 + floor(random() * 5000)::integer, 1 + floor(random() * 3)::integer
FROM (SELECT order_id, floor(random() * 5)::integer AS n_lines FROM orders ORDER BY order_id) AS o
CROSS JOIN LATERAL generate_series(1, o.n_lines) AS line_no;

-- 14 of the 40 coupon codes have expired: C01, C04, C07, ..., C40.
INSERT INTO expired_coupons SELECT 'C' || lpad(i::text, 2, '0') FROM generate_series(1, 40, 3) AS i;
