-- Teams, their notification channels, and the notification outbox (docs/guardrails.md "On call").
--
-- A flag's owner_team names a team of its project. Each team has channels (a generic webhook or a Slack-compatible
-- incoming webhook); a channel with team_id NULL is one of the project's default channels, used when a flag's team
-- does not exist or has no enabled channel.
--
-- A notification is written to the outbox in the transaction of the change it tells (one row per channel), so it
-- is sent if and only if the change commits. A worker on every replica claims due rows with FOR UPDATE SKIP LOCKED and
-- holds the row locked while it sends, so of several replicas exactly one sends it; every attempt is kept in
-- notification_attempts.

CREATE TABLE teams (
    id         BIGSERIAL PRIMARY KEY,
    project_id BIGINT      NOT NULL REFERENCES projects (id),
    key        TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (project_id, key)
);

CREATE TABLE notification_channels (
    id         BIGSERIAL PRIMARY KEY,
    project_id BIGINT      NOT NULL REFERENCES projects (id),
    -- NULL: one of the project's default channels.
    team_id    BIGINT REFERENCES teams (id) ON DELETE CASCADE,
    key        TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    kind       TEXT        NOT NULL CHECK (kind IN ('WEBHOOK', 'SLACK')),
    url        TEXT        NOT NULL,
    -- The webhook signing secret, encrypted (AES-256-GCM, docs/security.md); NULL for Slack channels.
    secret     TEXT,
    enabled    BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A channel key is unique among its team's channels, and among the project's default channels.
CREATE UNIQUE INDEX notification_channels_key ON notification_channels (project_id, COALESCE(team_id, 0), key);

-- The key channel secrets are encrypted with when the operator configured none (dimmer.notifications.secrets-key):
-- one row, generated at first start. Setting the property keeps the key out of the database.
CREATE TABLE notification_secrets_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL
);

CREATE TABLE notifications (
    id              BIGSERIAL PRIMARY KEY,
    -- Sent as the payload's id and the X-Dimmer-Delivery header: the same on every attempt, so receivers can drop a
    -- repeat (a replica that crashed after the receiver answered but before its commit sends it again).
    delivery_id     UUID        NOT NULL UNIQUE,
    project_id      BIGINT      NOT NULL REFERENCES projects (id),
    -- NULL once the channel is deleted; the worker then marks the notification dead.
    channel_id      BIGINT REFERENCES notification_channels (id) ON DELETE SET NULL,
    channel_key     TEXT        NOT NULL,
    channel_kind    TEXT        NOT NULL,
    team_key        TEXT,
    kind            TEXT        NOT NULL,
    environment     TEXT,
    flag            TEXT,
    title           TEXT        NOT NULL,
    -- The exact request body, rendered once for the channel's kind: every attempt sends the same bytes.
    body            TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('PENDING', 'SENT', 'DEAD')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    max_attempts    INTEGER     NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX notifications_project ON notifications (project_id, created_at DESC);
-- The dead gauge, and the retention purge of finished notifications (dimmer.notifications.retention).
CREATE INDEX notifications_dead ON notifications (id) WHERE status = 'DEAD';
CREATE INDEX notifications_finished ON notifications (finished_at) WHERE status <> 'PENDING';

CREATE TABLE notification_attempts (
    id              BIGSERIAL PRIMARY KEY,
    notification_id BIGINT      NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    attempt         INTEGER     NOT NULL,
    attempted_at    TIMESTAMPTZ NOT NULL,
    -- NULL when no answer came (refused address, connection error, timeout).
    status_code     INTEGER,
    latency_ms      BIGINT      NOT NULL,
    -- The receiver's answer, truncated (dimmer.notifications.max-response-chars).
    response_body   TEXT,
    error           TEXT,
    -- Which replica sent it (host name and process), to read a two-replica log.
    worker          TEXT        NOT NULL
);
CREATE INDEX notification_attempts_notification ON notification_attempts (notification_id, attempt);
