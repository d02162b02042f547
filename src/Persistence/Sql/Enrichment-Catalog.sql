-- The catalogue's read model (Enrichment.Persistence.Catalog.PostgresCatalogReadModel): one row per product,
-- written by the product's grain after each stored change and guarded by the product's revision.
-- Every filter is a term in one GIN-indexed array ('c:colour=navy blue' catalogue, 'p:' predicted, 'e:' a prediction
-- standing in for a missing catalogue value, 's:<status>', 'm:<model version>'), so a write maintains three indexes
-- whatever the catalogue's size, and a query combines any filters on one index. Values per attribute and source are also columns, for facets and confidence.
CREATE TABLE catalog_products
(
    product_id        text COLLATE "C" NOT NULL PRIMARY KEY,
    revision          bigint   NOT NULL,
    labelled          boolean  NOT NULL,
    lowest_confidence real,
    terms             text[]   NOT NULL,
    words             tsvector NOT NULL,
    colour_c text, colour_p text, colour_pc real, colour_e text,
    brand_c text, brand_p text, brand_pc real, brand_e text,
    type_c text, type_p text, type_pc real, type_e text,
    category_c text, category_p text, category_pc real, category_e text,
    subcategory_c text, subcategory_p text, subcategory_pc real, subcategory_e text,
    usage_c text, usage_p text, usage_pc real, usage_e text,
    view              json     NOT NULL
);

CREATE INDEX catalog_products_terms ON catalog_products USING gin (terms);
CREATE INDEX catalog_products_words ON catalog_products USING gin (words);

-- Changes noted before a product's state write and cleared by its projection; a row older than the repair grace
-- means a silo died in between. Rows live for the length of one write, so the table stays tiny and is scanned.
CREATE TABLE catalog_pending
(
    product_id text COLLATE "C" NOT NULL PRIMARY KEY,
    noted_at   timestamptz NOT NULL
);
