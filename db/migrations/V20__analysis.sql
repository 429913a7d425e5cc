-- Experiment analysis (docs/statistics.md "The analysis job"): one row per computation of a flag's report in an
-- environment (analysis_runs: the arms, SRM and inputs fingerprint) and one row per metric × treatment of that run
-- (analysis_results: the numbers as JSON). The latest run of a flag is its report; older runs are its history.

CREATE TABLE analysis_runs (
    id                BIGSERIAL PRIMARY KEY,
    environment_id    BIGINT      NOT NULL REFERENCES environments (id),
    flag_id           BIGINT      NOT NULL REFERENCES flags (id),
    computed_at       TIMESTAMPTZ NOT NULL,
    window_from       TIMESTAMPTZ,
    window_to         TIMESTAMPTZ NOT NULL,
    fingerprint       TEXT        NOT NULL,
    duration_millis   INTEGER     NOT NULL,
    report            JSONB       NOT NULL
);
CREATE INDEX analysis_runs_flag ON analysis_runs (environment_id, flag_id, computed_at DESC);

CREATE TABLE analysis_results (
    run_id          BIGINT      NOT NULL REFERENCES analysis_runs (id) ON DELETE CASCADE,
    environment_id  BIGINT      NOT NULL,
    flag_id         BIGINT      NOT NULL,
    computed_at     TIMESTAMPTZ NOT NULL,
    ordinal         INTEGER     NOT NULL,
    metric          TEXT        NOT NULL,
    treatment       TEXT        NOT NULL,
    result          JSONB       NOT NULL,
    PRIMARY KEY (run_id, ordinal)
);
CREATE INDEX analysis_results_history ON analysis_results (environment_id, flag_id, metric, computed_at);

-- Change detection: the newest batch per environment and kind is one index probe instead of a scan of the
-- (large) batch table. One small b-tree entry per batch of up to 10 000 items: negligible for ingestion.
CREATE INDEX ingest_batches_arrival ON ingest_batches (environment_id, kind, received_at);
