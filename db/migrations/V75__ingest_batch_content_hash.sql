-- A batch id names one batch's content (issue 10): the SHA-256 of the rows it stored (and which items it
-- rejected), so a re-send of the same batch stays an idempotent duplicate while the same id with other content is
-- refused with 409 instead of being silently dropped as a "duplicate". Rows stored before this migration have no
-- hash; a re-send of those is treated as a duplicate, as before.
ALTER TABLE ingest_batches ADD COLUMN content_hash BYTEA;
