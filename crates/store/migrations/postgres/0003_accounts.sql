-- Staff accounts, their roles, web sessions, API tokens and failed sign-ins.
-- Secrets are never stored as given: passwords as argon2id PHC strings, session ids and
-- tokens as the SHA-256 hex of the random value, so a copy of the database signs no one in.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    -- Lower-cased when validated, so UNIQUE is case-insensitive in effect.
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    disabled_at BIGINT
);

-- body_id NULL means the role holds in every body. A UNIQUE constraint treats NULLs as
-- distinct on both backends, so the partial index below keeps "every body" grants unique;
-- a NULL (not a sentinel such as '') lets body_id stay a foreign key.
CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    body_id TEXT REFERENCES bodies(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'service_owner', 'unit_head', 'executor', 'analyst', 'communications_editor')),
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, body_id, role)
);
CREATE UNIQUE INDEX account_roles_every_body ON account_roles(account_id, role) WHERE body_id IS NULL;
CREATE INDEX account_roles_body ON account_roles(body_id);

-- expires_at is derived (the sooner of idle and absolute expiry) and kept for clean-up;
-- validity is decided from created_at and last_seen_at.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    label TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

-- Failed sign-ins per key: 'account:<e-mail>' or 'ip:<address>'. Keyed by the e-mail as
-- typed, not the account, so unknown e-mails lock the same way and reveal nothing.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    first_failure_at BIGINT NOT NULL,
    locked_until BIGINT
);
