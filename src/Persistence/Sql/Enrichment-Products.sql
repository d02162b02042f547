-- One write per product change (Enrichment.Persistence.Catalog.PostgresProductStore). A product's row in
-- catalog_products is the product itself: its state (JSON) beside the columns search reads, written with its
-- enrichment-queue item and its photo in one transaction guarded by the row's revision. Grain state, the change
-- notes and their repair are no longer needed. Rows written before this step hold the wire view of the same
-- product, which reads as its state.
ALTER TABLE catalog_products RENAME COLUMN view TO state;
DROP TABLE catalog_pending;

-- Photos by content hash, written once (insert-if-absent, never read first) by the ingest that brings them; products
-- refer to them by hash. Photos stored before this step stay in OrleansStorage (README, "One write per product change").
CREATE TABLE catalog_images
(
    sha256       text COLLATE "C" NOT NULL PRIMARY KEY,
    content_type text  NOT NULL,
    bytes        bytea NOT NULL
);

-- Fails the statement, and with it the whole batch of a product change, when the guarded upsert wrote no row: the
-- stored revision was not the one the writer read (a stale activation).
CREATE FUNCTION enrichment_expect_written(written bigint, product text, expected bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF written <> 1 THEN
        RAISE EXCEPTION 'product % is not at revision %', product, expected USING ERRCODE = 'EN409';
    END IF;
END
$$;
