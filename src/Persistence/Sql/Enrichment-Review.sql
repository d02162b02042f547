-- The review queues (PostgresCatalogReadModel.ReviewAsync): per predicted attribute, rows in the order of the model's
-- confidence, so a page of "least confident first" or "most confident disagreement first" is read from where the
-- cursor left off, whatever the catalogue's size. Only rows with a prediction are indexed.
CREATE INDEX catalog_products_colour_review ON catalog_products (colour_pc, product_id) WHERE colour_p IS NOT NULL;
CREATE INDEX catalog_products_brand_review ON catalog_products (brand_pc, product_id) WHERE brand_p IS NOT NULL;
CREATE INDEX catalog_products_type_review ON catalog_products (type_pc, product_id) WHERE type_p IS NOT NULL;
