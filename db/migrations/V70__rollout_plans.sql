-- Rollout plans (docs/guardrails.md "Rollout plans"): per flag and environment, ordered stages that the plan
-- scheduler advances while the flag stays healthy. At most one plan per flag and environment is in progress
-- (draft, active, paused or halted); finished plans (completed, aborted) stay as history.

CREATE TABLE rollout_plans (
    id                      BIGSERIAL PRIMARY KEY,
    flag_id                 BIGINT      NOT NULL REFERENCES flags (id),
    environment_id          BIGINT      NOT NULL REFERENCES environments (id),
    treatment               TEXT        NOT NULL,
    control                 TEXT        NOT NULL,
    -- [{name, segments, weight, minDuration, minSamplePerArm, requiresApproval}]
    stages                  JSONB       NOT NULL,
    on_breach               TEXT        NOT NULL CHECK (on_breach IN ('ROLLBACK', 'KILL')),
    require_non_inferiority BOOLEAN     NOT NULL DEFAULT FALSE,
    status                  TEXT        NOT NULL
        CHECK (status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'HALTED', 'COMPLETED', 'ABORTED')),
    -- The stage the configuration is at; -1 before the first one (and after rolling back from it).
    current_stage           INTEGER     NOT NULL DEFAULT -1,
    stage_started_at        TIMESTAMPTZ,
    -- Stages a person approved ahead of time or while the plan waited for them.
    approved_stages         INTEGER[]   NOT NULL DEFAULT '{}',
    -- The plan is waiting for a person to approve the next stage (said once, not every check).
    awaiting_approval       BOOLEAN     NOT NULL DEFAULT FALSE,
    status_reason           TEXT,
    version                 BIGINT      NOT NULL DEFAULT 1,
    created_by              TEXT        NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX rollout_plans_in_progress ON rollout_plans (flag_id, environment_id)
    WHERE status IN ('DRAFT', 'ACTIVE', 'PAUSED', 'HALTED');
CREATE INDEX rollout_plans_active ON rollout_plans (id) WHERE status = 'ACTIVE';

-- Every step of every plan, by the scheduler or by a person, with the numbers that motivated it.
CREATE TABLE rollout_plan_transitions (
    id                    BIGSERIAL PRIMARY KEY,
    plan_id               BIGINT      NOT NULL REFERENCES rollout_plans (id),
    at                    TIMESTAMPTZ NOT NULL,
    actor                 TEXT        NOT NULL,
    kind                  TEXT        NOT NULL,
    from_stage            INTEGER     NOT NULL,
    to_stage              INTEGER     NOT NULL,
    status                TEXT        NOT NULL,
    reason                TEXT        NOT NULL,
    -- The flag configuration's version after the step, when the step changed it.
    configuration_version BIGINT,
    evidence              JSONB
);
CREATE INDEX rollout_plan_transitions_plan ON rollout_plan_transitions (plan_id, id);
