-- Metric definitions (per project) and which success metrics each flag is judged by.

CREATE TABLE metrics (
    id             BIGSERIAL PRIMARY KEY,
    project_id     BIGINT           NOT NULL REFERENCES projects (id),
    key            TEXT             NOT NULL,
    name           TEXT             NOT NULL,
    description    TEXT             NOT NULL DEFAULT '',
    event_type     TEXT             NOT NULL,
    aggregation    TEXT             NOT NULL CHECK (aggregation IN ('COUNT', 'SUM', 'CONVERSION', 'AVERAGE')),
    direction      TEXT             NOT NULL CHECK (direction IN ('INCREASE', 'DECREASE')),
    guardrail      BOOLEAN          NOT NULL DEFAULT FALSE,
    margin         DOUBLE PRECISION NOT NULL DEFAULT 0,
    kill_threshold DOUBLE PRECISION,
    cuped          BOOLEAN          NOT NULL DEFAULT FALSE,
    archived       BOOLEAN          NOT NULL DEFAULT FALSE,
    version        BIGINT           NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
    UNIQUE (project_id, key)
);

-- added_at lets a report tell metrics chosen before the flag had exposure (confirmatory) from
-- those added later (exploratory, kept out of the decision).
CREATE TABLE flag_success_metrics (
    flag_id   BIGINT      NOT NULL REFERENCES flags (id),
    metric_id BIGINT      NOT NULL REFERENCES metrics (id),
    added_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (flag_id, metric_id)
);

-- The arm every other treatment is compared against; the environment's off treatment when null.
ALTER TABLE flags ADD COLUMN control_treatment TEXT;
