-- GIVEN: do not edit. The shop's tables and its one secondary index (orders.ordered_at). The
-- tests run this file, then seed.sql, in a fresh database; the small hand-made cases run this file
-- and insert their own rows. To explore by hand: createdb shop && psql shop -f schema.sql -f seed.sql
CREATE TABLE customers (
    customer_id integer PRIMARY KEY,
    email       text    NOT NULL,
    country     text    NOT NULL
);
CREATE TABLE orders (
    order_id    integer       PRIMARY KEY,
    customer_id integer       NOT NULL,
    ordered_at  timestamp     NOT NULL,     -- on the hour, 2023-01-01 to 2024-12-31
    amount      numeric(10,2) NOT NULL,
    coupon_code text                        -- NULL: no coupon was used
);
CREATE TABLE order_items (
    order_id    integer NOT NULL,
    line_no     integer NOT NULL,
    product_id  integer NOT NULL,
    qty         integer NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE expired_coupons (
    code text PRIMARY KEY
);
CREATE INDEX orders_ordered_at_idx ON orders (ordered_at);
