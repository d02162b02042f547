-- Photos that cost much to decode (ImageRef.DecodePixels above Enrichment:Queue:ExpensiveDecodePixels) wait in a
-- class of their own, which a lane of its own claims one at a time: a flood of small expensive photos never stands
-- in front of ordinary ones. Claims read one class's earliest due rows, so the index leads with the class.
ALTER TABLE enrichment_queue ADD COLUMN expensive boolean NOT NULL DEFAULT false;

DROP INDEX enrichment_queue_due;

CREATE INDEX enrichment_queue_class_due ON enrichment_queue (expensive, due_at);
