-- "Decided before the start means fixed" (docs/statistics.md "Metric versions"): a metric's definition (event type,
-- aggregation, direction, guardrail, margin, CUPED) is versioned. Before any experiment that uses it has started (no
-- exposure of a flag it applies to, in any environment) an edit changes the current version in place; after that an
-- edit makes a new version, and each started experiment (environment × flag) records the change, so its report can
-- tell the definition it started with from the one it is analysed with, and list who changed what, and when.

-- The current version of the metric's definition (metrics.version stays the row's optimistic-lock counter, which
-- every edit bumps: name and description too).
ALTER TABLE metrics ADD COLUMN definition_version INTEGER NOT NULL DEFAULT 1;

-- One row per version of a metric's definition; defined_at/defined_by: who set it, when (an in-place edit before
-- any start updates the current version's row).
CREATE TABLE metric_versions (
    metric_id    BIGINT           NOT NULL REFERENCES metrics (id),
    version      INTEGER          NOT NULL,
    event_type   TEXT             NOT NULL,
    aggregation  TEXT             NOT NULL,
    direction    TEXT             NOT NULL,
    guardrail    BOOLEAN          NOT NULL,
    margin       DOUBLE PRECISION NOT NULL,
    cuped        BOOLEAN          NOT NULL,
    defined_at   TIMESTAMPTZ      NOT NULL,
    defined_by   TEXT             NOT NULL,
    PRIMARY KEY (metric_id, version)
);

-- Existing metrics: their definition as it is now is version 1, set by whoever last created or changed it.
INSERT INTO metric_versions (metric_id, version, event_type, aggregation, direction, guardrail, margin, cuped,
                             defined_at, defined_by)
SELECT m.id, 1, m.event_type, m.aggregation, m.direction, m.guardrail, m.margin, m.cuped, m.updated_at,
       coalesce((SELECT a.actor FROM audit_entries a JOIN projects p ON p.key = a.project
                 WHERE p.id = m.project_id AND a.entity_type = 'metric' AND a.entity_key = m.key
                 ORDER BY a.at DESC LIMIT 1), 'unknown')
FROM metrics m;

-- Per started experiment (environment × flag), each metric it had that was redefined (a new version) or removed
-- (detached from the flag, archived, no longer a guardrail) after its first exposure there. Kept while the flag has
-- exposure in the environment (the retention job forgets them with its exposures: a later exposure starts anew).
CREATE TABLE experiment_metric_changes (
    id             BIGSERIAL   PRIMARY KEY,
    environment_id BIGINT      NOT NULL REFERENCES environments (id),
    flag_id        BIGINT      NOT NULL REFERENCES flags (id),
    metric_id      BIGINT      NOT NULL REFERENCES metrics (id),
    change         TEXT        NOT NULL CHECK (change IN ('REDEFINED', 'REMOVED')),
    from_version   INTEGER     NOT NULL,
    to_version     INTEGER,
    reason         TEXT,
    changed_at     TIMESTAMPTZ NOT NULL,
    changed_by     TEXT        NOT NULL,
    FOREIGN KEY (metric_id, from_version) REFERENCES metric_versions (metric_id, version),
    FOREIGN KEY (metric_id, to_version) REFERENCES metric_versions (metric_id, version)
);
CREATE INDEX experiment_metric_changes_experiment ON experiment_metric_changes (environment_id, flag_id, id);
