-- Every review decision (Enrichment.Persistence.Reviews.PostgresReviewLog): append-only, written by the product store
-- in the same transaction as the product change the decision made. Keyed by (product, entry): entries are numbered
-- per product by its grain (the single writer, guarded by the product's revision), so an export paged by this key
-- lists every entry exactly once. The sequence orders the history newest first for people.
CREATE TABLE review_history
(
    product_id  text COLLATE "C" NOT NULL,
    entry       bigint      NOT NULL,
    sequence    bigint GENERATED ALWAYS AS IDENTITY,
    attribute   text        NOT NULL,
    action      text        NOT NULL,
    from_value  text,
    to_value    text,
    new_value   boolean     NOT NULL,
    reviewed_by text        NOT NULL,
    reviewed_at timestamptz NOT NULL,
    note        text,
    undoes      bigint,
    PRIMARY KEY (product_id, entry)
);
CREATE UNIQUE INDEX review_history_newest ON review_history (sequence);
