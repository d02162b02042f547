-- The catalogue's spelling of each searchable value (ValueSpellings; PostgresProductStore writes a product's
-- spellings in the batch of its change, insert-if-absent, so the first spelling wins and an existing one costs an
-- index probe, never a write or a lock). Facets count per normalised value, as search compares, and show the value as
-- the catalogue writes it ("Navy Blue", "Q&Q") by joining their few counted values (at most 20 per attribute) to this
-- table, so no matching row's state is read. One row per distinct value, not per product.
CREATE TABLE catalog_spellings
(
    attribute text NOT NULL,
    value     text NOT NULL,
    spelling  text NOT NULL,
    PRIMARY KEY (attribute, value)
);

-- Rows stored before this step: one pass over the catalogue, a catalogue's spelling before a prediction's, the
-- lowest product id's first (the same preference the writes keep).
INSERT INTO catalog_spellings (attribute, value, spelling)
SELECT DISTINCT ON (attribute, value) attribute, value, spelling
FROM catalog_products p CROSS JOIN LATERAL (VALUES
        ('colour', p.colour_c, btrim(p.state->'knownAttributes'->>'colour'), 0),
        ('colour', p.colour_p, btrim(p.state->'enrichment'->'attributes'->'colour'->>'value'), 1),
        ('brand', p.brand_c, btrim(p.state->'knownAttributes'->>'brand'), 0),
        ('brand', p.brand_p, btrim(p.state->'enrichment'->'attributes'->'brand'->>'value'), 1),
        ('type', p.type_c, btrim(p.state->'knownAttributes'->>'type'), 0),
        ('type', p.type_p, btrim(p.state->'enrichment'->'attributes'->'type'->>'value'), 1),
        ('category', p.category_c, btrim(p.state->'knownAttributes'->>'category'), 0),
        ('category', p.category_p, btrim(p.state->'enrichment'->'attributes'->'category'->>'value'), 1),
        ('subcategory', p.subcategory_c, btrim(p.state->'knownAttributes'->>'subcategory'), 0),
        ('subcategory', p.subcategory_p, btrim(p.state->'enrichment'->'attributes'->'subcategory'->>'value'), 1),
        ('usage', p.usage_c, btrim(p.state->'knownAttributes'->>'usage'), 0),
        ('usage', p.usage_p, btrim(p.state->'enrichment'->'attributes'->'usage'->>'value'), 1)
    ) AS given (attribute, value, spelling, preference)
WHERE value IS NOT NULL AND spelling IS NOT NULL AND spelling <> ''
ORDER BY attribute, value, preference, p.product_id;
