-- Dimmer schema, part 1: projects, environments, flags and their per-environment configuration,
-- segments, API keys, users and the audit log. Ids are internal; the API speaks in keys.

CREATE TABLE projects (
    id          BIGSERIAL PRIMARY KEY,
    key         TEXT        NOT NULL UNIQUE,
    name        TEXT        NOT NULL,
    description TEXT        NOT NULL DEFAULT '',
    archived    BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE environments (
    id            BIGSERIAL PRIMARY KEY,
    project_id    BIGINT      NOT NULL REFERENCES projects (id),
    key           TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    -- Monotonic over every flag and segment change in this environment; the snapshot's ETag.
    change_number BIGINT      NOT NULL DEFAULT 0,
    archived      BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (project_id, key)
);

CREATE TABLE flags (
    id          BIGSERIAL PRIMARY KEY,
    project_id  BIGINT      NOT NULL REFERENCES projects (id),
    key         TEXT        NOT NULL,
    description TEXT        NOT NULL DEFAULT '',
    owner_team  TEXT        NOT NULL DEFAULT '',
    kind        TEXT        NOT NULL CHECK (kind IN ('release', 'experiment', 'ops', 'permission')),
    treatments  JSONB       NOT NULL,
    tags        TEXT[]      NOT NULL DEFAULT '{}',
    archived    BOOLEAN     NOT NULL DEFAULT FALSE,
    version     BIGINT      NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (project_id, key)
);
CREATE INDEX flags_tags ON flags USING GIN (tags);

CREATE TABLE flag_configs (
    id                 BIGSERIAL PRIMARY KEY,
    flag_id            BIGINT      NOT NULL REFERENCES flags (id),
    environment_id     BIGINT      NOT NULL REFERENCES environments (id),
    enabled            BOOLEAN     NOT NULL DEFAULT FALSE,
    killed             BOOLEAN     NOT NULL DEFAULT FALSE,
    off_treatment      TEXT        NOT NULL,
    rules              JSONB       NOT NULL DEFAULT '[]',
    default_serve      JSONB       NOT NULL,
    traffic_allocation INTEGER     NOT NULL DEFAULT 10000 CHECK (traffic_allocation BETWEEN 0 AND 10000),
    seed               INTEGER     NOT NULL,
    traffic_seed       INTEGER     NOT NULL,
    prerequisites      JSONB       NOT NULL DEFAULT '[]',
    version            BIGINT      NOT NULL DEFAULT 1,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (flag_id, environment_id)
);
CREATE INDEX flag_configs_environment ON flag_configs (environment_id);

CREATE TABLE segments (
    id             BIGSERIAL PRIMARY KEY,
    environment_id BIGINT      NOT NULL REFERENCES environments (id),
    key            TEXT        NOT NULL,
    description    TEXT        NOT NULL DEFAULT '',
    conditions     JSONB       NOT NULL DEFAULT '[]',
    archived       BOOLEAN     NOT NULL DEFAULT FALSE,
    version        BIGINT      NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (environment_id, key)
);

-- Explicit key lists (up to 100 000 keys a segment) live in their own table so bulk add/remove
-- touches rows, not one huge JSON document.
CREATE TABLE segment_keys (
    segment_id BIGINT NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    key        TEXT   NOT NULL,
    PRIMARY KEY (segment_id, key)
);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT        NOT NULL UNIQUE,
    password_hash TEXT        NOT NULL,
    role          TEXT        NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    projects      TEXT[]      NOT NULL DEFAULT '{}',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- SDK keys (one environment; read its snapshot, write its events) and admin tokens (a role, and
-- for editors the projects they may change). Only the SHA-256 of the secret is stored.
CREATE TABLE api_keys (
    id             BIGSERIAL PRIMARY KEY,
    kind           TEXT        NOT NULL CHECK (kind IN ('sdk', 'admin')),
    name           TEXT        NOT NULL,
    secret_hash    TEXT        NOT NULL UNIQUE,
    secret_prefix  TEXT        NOT NULL,
    environment_id BIGINT REFERENCES environments (id),
    role           TEXT CHECK (role IN ('admin', 'editor', 'viewer')),
    projects       TEXT[]      NOT NULL DEFAULT '{}',
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at     TIMESTAMPTZ,
    CHECK ((kind = 'sdk' AND environment_id IS NOT NULL) OR (kind = 'admin' AND role IS NOT NULL))
);

CREATE TABLE audit_entries (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    entity_type TEXT        NOT NULL,
    entity_key  TEXT        NOT NULL,
    project     TEXT,
    environment TEXT,
    flag        TEXT,
    before      JSONB,
    after       JSONB,
    comment     TEXT
);
CREATE INDEX audit_entries_project_at ON audit_entries (project, at);
CREATE INDEX audit_entries_flag_at ON audit_entries (flag, at);
CREATE INDEX audit_entries_actor_at ON audit_entries (actor, at);

-- The audit log is append-only, whatever code or person talks to the database.
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$;
CREATE TRIGGER audit_entries_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
