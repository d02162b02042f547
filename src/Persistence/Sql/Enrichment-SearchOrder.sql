-- The search orders besides product id (SearchOrder, SearchOrderSql): each is read along a btree index on
-- (key, product_id) from the cursor on, forwards or backwards, so page 1,000 costs what page 1 does. The keys are
-- written by the product store with the row (sort_name: NFC, lower-cased, cut to 200 characters; updated_at: the
-- product's last change in microseconds); the confidence orders use lowest_confidence, with products without
-- predictions placed after every real confidence (0..1) in either direction. Index and query spell each expression alike.
ALTER TABLE catalog_products ADD COLUMN sort_name text COLLATE "C", ADD COLUMN updated_at timestamptz;
-- Rows stored before this script: the same keys from the stored state (lower() follows the database's locale here,
-- where new writes lower-case as .NET does; a cursor carries the key as the table holds it, so paging stays exact).
UPDATE catalog_products SET
    sort_name = left(lower(normalize(COALESCE(state->>'name', ''), NFC)), 200),
    updated_at = COALESCE((state->>'updatedAt')::timestamptz, 'epoch');
ALTER TABLE catalog_products ALTER COLUMN sort_name SET NOT NULL, ALTER COLUMN updated_at SET NOT NULL;
CREATE INDEX catalog_products_sort_name ON catalog_products (sort_name, product_id);
CREATE INDEX catalog_products_updated_at ON catalog_products (updated_at, product_id);
CREATE INDEX catalog_products_confidence_up ON catalog_products ((COALESCE(lowest_confidence, 2::real)), product_id);
CREATE INDEX catalog_products_confidence_down ON catalog_products ((COALESCE(lowest_confidence, (-1)::real)), product_id);
