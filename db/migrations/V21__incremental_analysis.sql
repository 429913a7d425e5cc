-- Incremental analysis (docs/statistics.md §6 "Incremental"): an arrival marker on events and the per-user partial
-- aggregates the analysis job keeps per (environment, flag), so a rerun folds in only what changed.
--
-- events.arrival is the id of the transaction that wrote the row (txid_current(), 64-bit, never wraps). It is not
-- in the COPY column list: PostgreSQL fills it from the default (one function call per row, no extra bytes on the
-- wire). A run records its snapshot (txid_current_snapshot()); the next run's new rows are exactly those with
-- arrival >= the snapshot's xmin that were not visible in it (txid_visible_in_snapshot), whatever their event time
-- and however late their transaction committed. Rows are appended in arrival order within each day partition, so a
-- BRIN index finds them cheaply; like events_time it costs ingestion almost nothing (DESIGN §7: no b-tree here).
ALTER TABLE events ADD COLUMN arrival BIGINT NOT NULL DEFAULT txid_current();
CREATE INDEX events_arrival ON events USING BRIN (arrival);

-- Derived data only, so UNLOGGED (no WAL): after a crash PostgreSQL empties both tables and the next run of each
-- flag is a full recompute that rebuilds them.
--
-- analysis_state: one row per (environment, flag) with the snapshot and window end the state is current to, the
-- signature of everything the per-user values depend on (metrics, window start, configuration; a mismatch means a
-- full recompute) and the number of excluded (multi-treatment) users.
CREATE UNLOGGED TABLE analysis_state (
    environment_id BIGINT      NOT NULL,
    flag_id        BIGINT      NOT NULL,
    signature      TEXT        NOT NULL,
    snapshot       TEXT        NOT NULL,
    window_to      TIMESTAMPTZ NOT NULL,
    excluded       BIGINT      NOT NULL,
    PRIMARY KEY (environment_id, flag_id)
);

-- The arms' sums: per treatment the users, the users whose first exposure carried the split's label, and per metric
-- Σy, Σy², Σx, Σx², Σxy (5 entries per metric, in the metric order of the signature).
CREATE UNLOGGED TABLE analysis_state_arms (
    environment_id BIGINT   NOT NULL,
    flag_id        BIGINT   NOT NULL,
    treatment      TEXT     NOT NULL,
    users          BIGINT   NOT NULL,
    split_users    BIGINT   NOT NULL,
    sums           FLOAT8[] NOT NULL,
    PRIMARY KEY (environment_id, flag_id, treatment)
);

-- One row per exposed key of the flag: its assignment (as analysis reads it from exposures) and per metric the raw,
-- additive partial aggregates: post[i] = count (COUNT, CONVERSION) or Σ value (SUM, AVERAGE) of the events at or after
-- the first exposure; pre[i] = the AVERAGE's count of values, or the CUPED covariate's count / Σ value over the 14 days
-- before the first exposure, else 0. New events add to them; the per-user y and x (CONVERSION's indicator included)
-- are derived from them when summing.
CREATE UNLOGGED TABLE analysis_users (
    environment_id BIGINT      NOT NULL,
    flag_id        BIGINT      NOT NULL,
    key            TEXT        NOT NULL,
    treatment      TEXT        NOT NULL,
    treatments     BIGINT      NOT NULL,
    first_seen     TIMESTAMPTZ NOT NULL,
    label          TEXT,
    post           FLOAT8[]    NOT NULL,
    pre            FLOAT8[]    NOT NULL,
    PRIMARY KEY (environment_id, flag_id, key)
);
