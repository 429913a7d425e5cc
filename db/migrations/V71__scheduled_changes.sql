-- Scheduled changes (docs/guardrails.md "Scheduled changes"): one-off changes of a flag's configuration at a time,
-- made against the configuration version they were written for. A change that is due is claimed by one replica
-- (FOR UPDATE SKIP LOCKED) and applied, or failed, in one transaction.

CREATE TABLE scheduled_changes (
    id              BIGSERIAL PRIMARY KEY,
    flag_id         BIGINT      NOT NULL REFERENCES flags (id),
    environment_id  BIGINT      NOT NULL REFERENCES environments (id),
    run_at          TIMESTAMPTZ NOT NULL,
    action          TEXT        NOT NULL CHECK (action IN ('ENABLE', 'DISABLE', 'SET_ROLLOUT', 'APPLY')),
    -- SET_ROLLOUT: {treatment, weight}; APPLY: the whole configuration, as PUT takes it.
    payload         JSONB,
    base_version    BIGINT      NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('PENDING', 'APPLIED', 'FAILED', 'CANCELLED')),
    comment         TEXT,
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at     TIMESTAMPTZ,
    finished_by     TEXT,
    outcome         TEXT,
    applied_version BIGINT
);
CREATE INDEX scheduled_changes_due ON scheduled_changes (run_at) WHERE status = 'PENDING';
CREATE INDEX scheduled_changes_flag ON scheduled_changes (environment_id, flag_id, run_at);
