-- Customer(customer_id, product_key), Product(product_key). Return customer_id: the customers who
-- bought every product in Product. A (customer, product) pair may appear more than once. Any order.
SELECT customer_id
FROM Customer
GROUP BY customer_id
HAVING COUNT(DISTINCT product_key) = (SELECT COUNT(*) FROM Product);
-- Why: relational division by counting: a customer has bought everything when the number of
-- DISTINCT products they bought equals the number of products (product_key references Product).
-- Without DISTINCT, buying one product twice looks like buying two. The textbook alternative is a
-- double NOT EXISTS ("no product this customer did not buy"), which also works without the FK.
