-- An in-memory database: tables, constraints, joins, aggregates, window functions,
-- recursive CTEs, JSON, printf and the shell's output modes. Deterministic throughout (no
-- random(), no 'now'), so KOITO's transcript must equal the host's sqlite3 byte for byte.
.headers on
.mode list
CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, city TEXT);
CREATE TABLE product(id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL CHECK (price > 0));
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customer(id),
                    product INTEGER REFERENCES product(id), qty INTEGER, day TEXT);
CREATE INDEX orders_by_customer ON orders(customer);
INSERT INTO customer(name, city) VALUES ('Ann', 'Oslo'), ('Bob', 'Lyon'), ('Cid', 'Oslo'),
  ('Dee', NULL), ('Eve', 'Kyoto');
INSERT INTO product(name, price) VALUES ('tea', 3.5), ('cake', 2.25), ('pie', 4.0),
  ('jam', 6.125), ('bread', 1.1);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO orders(customer, product, qty, day)
  SELECT 1 + (i * 7) % 5, 1 + (i * 3) % 5, 1 + (i * 11) % 4,
         date('2024-01-01', '+' || (i % 60) || ' days') FROM n;
SELECT count(*) AS orders, sum(qty) AS items, min(day) AS first, max(day) AS last FROM orders;
SELECT c.name, count(o.id) AS n, sum(o.qty * p.price) AS total, round(avg(p.price), 3) AS avg_price
  FROM customer c LEFT JOIN orders o ON o.customer = c.id LEFT JOIN product p ON p.id = o.product
  GROUP BY c.id ORDER BY total DESC;
SELECT coalesce(city, '(none)') AS city, group_concat(name, '+') AS who
  FROM (SELECT * FROM customer ORDER BY name) GROUP BY city ORDER BY city;
.mode column
SELECT p.name, sum(o.qty) AS sold,
       rank() OVER (ORDER BY sum(o.qty) DESC) AS rank,
       printf('%8.3f', sum(o.qty * p.price)) AS revenue
  FROM orders o JOIN product p ON p.id = o.product GROUP BY p.id ORDER BY rank, p.name;
SELECT day, count(*) AS n, sum(count(*)) OVER (ORDER BY day ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last3
  FROM orders WHERE day < '2024-01-08' GROUP BY day ORDER BY day;
.mode box
WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 12)
SELECT n, a AS fib, a * a AS square, printf('%x', a) AS hex FROM fib;
.mode list
SELECT 1 / 3, 1.0 / 3, 7 % 3, -7 / 2, 2.5 * 4, 1e300 * 1e10, 9223372036854775807 + 1;
SELECT typeof(1), typeof(1.5), typeof('x'), typeof(x'00ff'), typeof(NULL), hex('Ab'), quote('it''s');
SELECT upper('abc'), lower('ÀBC'), length('héllo'), substr('abcdef', 2, 3), replace('aaa', 'a', 'bb'),
       trim('  x  '), instr('hello', 'll'), 'a' || 'b' || 1 || 2.5, unicode('€'), char(72, 105);
SELECT printf('%5d|%-5s|%.2f|%e|%g|%q|%%', 42, 'ab', 3.14159, 12345.678, 0.0001, 'x''y');
SELECT round(2.5), round(-2.5), round(3.14159, 2), abs(-7), max(1, 5, 3), min('b', 'a'), 5 BETWEEN 1 AND 9;
SELECT sqrt(2), pow(2, 10), floor(-1.5), ceil(-1.5), ln(exp(1)), log10(1000), pi();
SELECT date('2024-02-28', '+1 day'), date('2023-02-28', '+1 day'), strftime('%Y-%j %w', '2024-12-31'),
       julianday('2000-01-01'), datetime(0, 'unixepoch'), time('12:34:56', '+90 seconds');
SELECT json_object('name', 'Ann', 'tags', json_array(1, 2.5, 'x', NULL)), json_extract('{"a":{"b":[10,20]}}', '$.a.b[1]');
SELECT key, value FROM json_each('{"x":1,"y":[2,3],"z":"s"}') ORDER BY key;
SELECT name FROM customer WHERE name LIKE '_o%' OR name GLOB 'E*' ORDER BY name;
SELECT CASE WHEN qty > 3 THEN 'big' WHEN qty > 1 THEN 'mid' ELSE 'small' END AS size, count(*)
  FROM orders GROUP BY size ORDER BY size;
.mode csv
SELECT id, name, price FROM product WHERE price > 2 ORDER BY price;
.mode json
SELECT id, name, city FROM customer WHERE id <= 2;
.mode list
BEGIN;
UPDATE product SET price = price * 2 WHERE name = 'tea';
DELETE FROM orders WHERE qty = 1;
SELECT changes(), total_changes() > 0;
ROLLBACK;
SELECT price FROM product WHERE name = 'tea';
SELECT count(*) FROM orders WHERE qty = 1;
INSERT INTO customer(name) VALUES ('Ann');
INSERT INTO product(name, price) VALUES ('free', 0);
SELECT 'still here', count(*) FROM customer;
CREATE VIEW big_spenders AS SELECT c.name, sum(o.qty * p.price) AS total FROM customer c
  JOIN orders o ON o.customer = c.id JOIN product p ON p.id = o.product GROUP BY c.id HAVING total > 400;
SELECT * FROM big_spenders ORDER BY name;
CREATE TRIGGER audit AFTER UPDATE ON product BEGIN
  INSERT INTO orders(customer, product, qty, day) VALUES (NULL, new.id, 0, 'audit');
END;
UPDATE product SET price = 9.99 WHERE id = 5;
SELECT count(*) FROM orders WHERE day = 'audit';
EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer = 3;
SELECT name FROM sqlite_schema WHERE type IN ('table', 'index', 'view', 'trigger') ORDER BY name;
PRAGMA integrity_check;
