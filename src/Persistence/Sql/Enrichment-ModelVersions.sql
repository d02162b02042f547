-- Which model version's predictions each product carries (PostgresCatalogReadModel.CountByModelVersionAsync and
-- ListByModelVersionAsync): the models panel counts the products per version, and a re-enrichment after a deployment
-- or rollback pages through one version's products, both from this index alone, whatever the catalogue's size.
ALTER TABLE catalog_products ADD COLUMN model_version text COLLATE "C";
UPDATE catalog_products p SET model_version = m.version
FROM (SELECT product_id, substr(t, 3) AS version FROM catalog_products CROSS JOIN LATERAL unnest(terms) t WHERE t LIKE 'm:%') m
WHERE p.product_id = m.product_id;
CREATE INDEX catalog_products_model_version ON catalog_products (model_version, product_id) WHERE model_version IS NOT NULL;
