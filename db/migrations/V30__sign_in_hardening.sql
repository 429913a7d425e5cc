-- Console sign-in hardening (docs/security.md): disabled users, password changes, throttling, and
-- read scoping with an explicit all-projects grant; admin tokens may have the read-only role 'metrics'.

ALTER TABLE users
    ADD COLUMN disabled_at         TIMESTAMPTZ,
    ADD COLUMN password_changed_at TIMESTAMPTZ;

-- 'metrics' is for Prometheus tokens only: a person signs in as admin, editor or viewer.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'editor', 'viewer', 'metrics'));

-- Project-scoped roles now apply to reads too. A viewer used to read every project whatever its
-- project list (which only editors used); keep that for existing viewers with an explicit grant of
-- every project ('*'). Editors keep reading (and changing) only the projects they belong to.
UPDATE users SET projects = '{*}' WHERE role = 'viewer' AND projects = '{}';
UPDATE api_keys SET projects = '{*}' WHERE kind = 'admin' AND role = 'viewer' AND projects = '{}';

-- Failed sign-ins per subject ('user:<username>' or 'address:<client address>') in the current
-- window; a subject with too many is locked until locked_until. Shared by every replica.
CREATE TABLE sign_in_throttles (
    subject           TEXT PRIMARY KEY,
    failures          INT         NOT NULL,
    window_started_at TIMESTAMPTZ NOT NULL,
    locked_until      TIMESTAMPTZ
);
CREATE INDEX sign_in_throttles_window ON sign_in_throttles (window_started_at);
