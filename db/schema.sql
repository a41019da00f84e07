-- Schema of the "people who viewed this product also viewed" job (MySQL 5.7+/8, MariaDB 10.3+).
-- Idempotent: applying it again changes nothing and keeps the data.
--   mysql --defaults-extra-file=db.cnf shop < db/schema.sql
--
-- Ids are opaque byte strings: VARBINARY is VARCHAR with the binary character set, so
-- comparison, uniqueness and ordering are byte by byte with no padding ('007' <> '7',
-- '85123A' <> '85123a', '7' <> '7 '), on MySQL and MariaDB alike. The job exports and
-- imports with --default-character-set=binary, so bytes go through unchanged.

-- What the site writes: one row per product view in a path (session or user).
CREATE TABLE IF NOT EXISTS recent_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  path_id VARBINARY(255) NOT NULL,
  product_id VARBINARY(255) NOT NULL,
  viewed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY recent_items_path (path_id)
) ENGINE=InnoDB;

-- What the job writes (replaced whole by an atomic RENAME TABLE swap; never updated in place):
-- people who viewed source_product_id also viewed target_product_id; count = number of distinct
-- paths that hold both; score = the --score the job ranked by (NULL when ranked by count);
-- list_rank = the target's place in the source's list, 1 = best, in the job's order (score desc,
-- count desc, target bytes asc; docs/scores.md). A product page reads its N best with
--   SELECT target_product_id, count, score FROM viewed_products
--   WHERE source_product_id = ? ORDER BY list_rank LIMIT ?;
-- a range of the primary key (source, then rank): no sort, N rows read.
-- A live table of the older shape (no score, no list_rank) is replaced by this shape at the
-- next import's swap (docs/mysql.md).
CREATE TABLE IF NOT EXISTS viewed_products (
  source_product_id VARBINARY(255) NOT NULL,
  target_product_id VARBINARY(255) NOT NULL,
  count INT UNSIGNED NOT NULL,
  score DOUBLE NULL,
  list_rank INT UNSIGNED NOT NULL,
  PRIMARY KEY (source_product_id, list_rank),
  UNIQUE KEY viewed_products_pair (source_product_id, target_product_id)
) ENGINE=InnoDB;

-- What serve.js may read as its catalog (--catalog-table products; docs/serving.md): a product's
-- name and image, its category and whether it can be sold now (available = 1; 0 = discontinued or
-- out of stock). With a category or available column, the product pages leave out unavailable
-- products and fill short lists from the category's, then the store's, most co-viewed products.
-- A store with its own products table may map it instead:
--   CREATE VIEW products AS SELECT sku AS product_id, title AS name, NULL AS image_url,
--     department AS category, (stock > 0 AND NOT discontinued) AS available FROM shop_items;
CREATE TABLE IF NOT EXISTS products (
  product_id VARBINARY(255) NOT NULL,
  name VARCHAR(500) CHARACTER SET utf8mb4 NOT NULL DEFAULT '',
  image_url VARCHAR(2000) CHARACTER SET ascii NULL,
  category VARCHAR(255) CHARACTER SET utf8mb4 NULL,
  available TINYINT UNSIGNED NOT NULL DEFAULT 1,
  PRIMARY KEY (product_id)
) ENGINE=InnoDB;
