-- Ingestion: impressions and events from the SDKs (DESIGN.md §4), the batch ids that make their
-- delivery idempotent, and the SDK instances seen.
--
-- impressions and events are append-only and partitioned by UTC day on their time column. The
-- partitions are created ahead and dropped after the retention by PartitionMaintenance (Java), so
-- this migration creates only the parents. They are kept lean on purpose (DESIGN.md §7): no
-- primary key, no b-tree, only a BRIN index on time (a few pages per partition, near-free for
-- COPY because rows arrive roughly in time order).

CREATE TABLE ingest_batches (
    environment_id BIGINT      NOT NULL,
    kind           TEXT        NOT NULL CHECK (kind IN ('impressions', 'events')),
    batch_id       TEXT        NOT NULL,
    accepted       INTEGER     NOT NULL,
    rejected       INTEGER     NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (environment_id, kind, batch_id)
);
CREATE INDEX ingest_batches_received_at ON ingest_batches USING BRIN (received_at);

CREATE TABLE impressions (
    environment_id BIGINT      NOT NULL,
    flag           TEXT        NOT NULL,
    key            TEXT        NOT NULL,
    treatment      TEXT        NOT NULL,
    label          TEXT        NOT NULL,
    change_number  BIGINT,
    time           TIMESTAMPTZ NOT NULL
) PARTITION BY RANGE (time);
CREATE INDEX impressions_time ON impressions USING BRIN (time);

CREATE TABLE events (
    environment_id BIGINT      NOT NULL,
    key            TEXT        NOT NULL,
    type           TEXT        NOT NULL,
    value          DOUBLE PRECISION,
    properties     JSONB,
    time           TIMESTAMPTZ NOT NULL
) PARTITION BY RANGE (time);
CREATE INDEX events_time ON events USING BRIN (time);

-- One row per running SDK (name, version, instance id) per environment; last_seen is refreshed at
-- most once a minute per instance (IngestService), so it does not become a hot row.
CREATE TABLE sdk_instances (
    environment_id BIGINT      NOT NULL,
    name           TEXT        NOT NULL,
    version        TEXT        NOT NULL,
    instance_id    TEXT        NOT NULL,
    first_seen     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (environment_id, instance_id, name, version)
);
