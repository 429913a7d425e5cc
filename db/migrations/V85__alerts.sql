-- Alerts (docs/guardrails.md "On call"): what the analysis cycle found wrong with a flag in an environment, addressed
-- to the flag's owner team. At most one unresolved alert per (flag, environment, kind, metric): a later cycle updates
-- it, never opens a second (the partial unique index enforces it across replicas). Resolved alerts stay as history.

CREATE TABLE alerts (
    id                 BIGSERIAL PRIMARY KEY,
    project_id         BIGINT           NOT NULL REFERENCES projects (id),
    environment_id     BIGINT           NOT NULL REFERENCES environments (id),
    flag_id            BIGINT           NOT NULL REFERENCES flags (id),
    kind               TEXT             NOT NULL CHECK (kind IN ('GUARDRAIL', 'SRM', 'NO_TRAFFIC')),
    -- The guardrail metric's key; '' for kinds that are not about one metric (so the unique index can include it).
    metric             TEXT             NOT NULL DEFAULT '',
    status             TEXT             NOT NULL CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    -- GUARDRAIL: BREACHED or SEVERE; SRM: MISMATCH; NO_TRAFFIC: SILENT.
    severity           TEXT             NOT NULL,
    -- The latest numbers: the worst treatment against the control (guardrails), relative effect and its always-valid
    -- interval and p, users per arm; SRM's p; the last impression for no traffic.
    treatment          TEXT,
    effect             DOUBLE PRECISION,
    ci_lower           DOUBLE PRECISION,
    ci_upper           DOUBLE PRECISION,
    p_value            DOUBLE PRECISION,
    users_per_arm      JSONB            NOT NULL DEFAULT '{}',
    summary            TEXT             NOT NULL,
    -- What Dimmer did about it: KILLED (the guardrail policy killed the flag here), at most once per alert.
    action             TEXT CHECK (action IN ('KILLED')),
    action_at          TIMESTAMPTZ,
    -- Consecutive analysis cycles the condition has been clear; resolves at dimmer.alerts.clear-cycles.
    clear_cycles       INTEGER          NOT NULL DEFAULT 0,
    opened_at          TIMESTAMPTZ      NOT NULL,
    updated_at         TIMESTAMPTZ      NOT NULL,
    acknowledged_at    TIMESTAMPTZ,
    acknowledged_by    TEXT,
    resolved_at        TIMESTAMPTZ,
    resolved_by        TEXT,
    comment            TEXT
);
CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (flag_id, environment_id, kind, metric)
    WHERE status <> 'RESOLVED';
CREATE INDEX alerts_project ON alerts (project_id, id DESC);

-- What a flag's guardrails may do on their own: NOTIFY (default, no row) or KILL the flag in the environment where a
-- guardrail is severely breached.
CREATE TABLE flag_guardrail_policies (
    flag_id    BIGINT      PRIMARY KEY REFERENCES flags (id),
    policy     TEXT        NOT NULL CHECK (policy IN ('NOTIFY', 'KILL')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by TEXT        NOT NULL
);

-- The newest impression seen per (environment, flag), maintained after each analysis cycle from the impressions that
-- arrived since the previous scan (BRIN on time: only new pages are read), so no-traffic and unused-flag checks never
-- scan history. Derived data, rebuilt from the scan window if lost.
CREATE TABLE flag_traffic (
    environment_id     BIGINT      NOT NULL,
    flag               TEXT        NOT NULL,
    last_impression_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (environment_id, flag)
);
CREATE TABLE flag_traffic_scans (
    id          INTEGER     PRIMARY KEY CHECK (id = 1),
    started_at  TIMESTAMPTZ NOT NULL,
    scanned_to  TIMESTAMPTZ NOT NULL
);

-- Stale flags whose owner team has been told (once per stale spell: the row goes when the flag stops being stale).
CREATE TABLE stale_flag_notices (
    flag_id     BIGINT      PRIMARY KEY REFERENCES flags (id),
    reasons     TEXT        NOT NULL,
    notified_at TIMESTAMPTZ NOT NULL
);
