-- The whole job as one SQL query in MariaDB (benchmark peer, not shipped).
-- The bench replaces @INPUT@ with the views file and runs this through
-- `mariadb --batch --skip-column-names --local-infile=1`; stdout is the import
-- file: source<TAB>target<TAB>count, sorted by line in byte order.
-- Same rules as run-job.sh: header, empty and NULL ids skipped, a product counts
-- once per path (the primary key dedupes on load), paths with more than 1000
-- distinct products skipped.
CREATE DATABASE IF NOT EXISTS bench;
USE bench;
DROP TABLE IF EXISTS views;
CREATE TABLE views (
  path_id VARBINARY(255) NOT NULL,
  product_id VARBINARY(255) NOT NULL,
  PRIMARY KEY (path_id, product_id)
) ENGINE = InnoDB;
LOAD DATA LOCAL INFILE '@INPUT@' IGNORE INTO TABLE views
  FIELDS TERMINATED BY '\t' ESCAPED BY '' LINES TERMINATED BY '\n' (path_id, product_id);
DELETE FROM views
  WHERE path_id IN ('', 'NULL') OR product_id IN ('', 'NULL')
     OR (path_id = 'path_id' AND product_id = 'product_id');
SELECT a.product_id AS source, b.product_id AS target, COUNT(*) AS count
FROM views a
JOIN views b ON b.path_id = a.path_id AND b.product_id <> a.product_id
WHERE a.path_id IN (SELECT path_id FROM views GROUP BY path_id HAVING COUNT(*) <= 1000)
GROUP BY a.product_id, b.product_id
ORDER BY a.product_id, b.product_id;
DROP TABLE views;
