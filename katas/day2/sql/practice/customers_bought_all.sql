-- Customer(customer_id, product_key), Product(product_key). Return customer_id: the customers who
-- bought every product in Product. A (customer, product) pair may appear more than once. Any order.
-- TODO: replace the line below with your query.
SELECT 'TODO' AS todo;
