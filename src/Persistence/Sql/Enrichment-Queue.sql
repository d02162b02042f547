-- The enrichment queue (Enrichment.Persistence.Queue.PostgresEnrichmentQueue): one row per product waiting for a
-- model. due_at carries both the retry backoff and the claim lease: a claimed row is due again when its lease runs
-- out, so a dead silo's work returns to the others by itself. 'infinity' parks a row whose retry budget is spent.
CREATE SEQUENCE enrichment_queue_sequence;

CREATE TABLE enrichment_queue
(
    product_id    text        NOT NULL PRIMARY KEY,
    image_sha256  text        NOT NULL,
    sequence      bigint      NOT NULL,
    attempts      integer     NOT NULL DEFAULT 0,
    enqueued_at   timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    claimed_by    text,
    last_error    varchar(500)
);

-- Claims read the earliest due rows; the index keeps that O(batch) whatever the backlog.
CREATE INDEX enrichment_queue_due ON enrichment_queue (due_at);
