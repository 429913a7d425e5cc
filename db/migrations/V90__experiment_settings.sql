-- Per flag and environment, how its experiment is analysed (docs/statistics.md "Which users are compared"):
-- which split is the randomisation (null: the default rule's split, else the first rule serving a split; or the id
-- of a rule whose own split is chosen, for an experiment targeted to a segment), the sample the sequential
-- design is tuned for (null: the server's default N*), and the relative change the decision's remaining sample is
-- computed for (null: 5 %).
CREATE TABLE experiment_settings (
    environment_id   BIGINT      NOT NULL REFERENCES environments (id),
    flag_id          BIGINT      NOT NULL REFERENCES flags (id),
    split_rule       TEXT,
    expected_sample  INTEGER,
    minimum_detectable_effect DOUBLE PRECISION,
    updated_at       TIMESTAMPTZ NOT NULL,
    updated_by       TEXT        NOT NULL,
    PRIMARY KEY (environment_id, flag_id)
);
