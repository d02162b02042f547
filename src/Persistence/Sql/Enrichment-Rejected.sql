-- Events refused at ingest (Enrichment.Persistence.Rejections.PostgresRejectedEventLog): append-only, read newest
-- first by sequence. Rows arrive bounded (RejectedEvent.Bounded); the log keeps its newest rows (retention).
CREATE TABLE rejected_events
(
    sequence    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      text        NOT NULL,
    event_id    text,
    product_id  text,
    reason      text        NOT NULL,
    raw_excerpt text,
    rejected_at timestamptz NOT NULL
);
