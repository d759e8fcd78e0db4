-- The audit trail: one row per change, appended in the change's own transaction. Each
-- row carries the hash of the one before it, so an edit anywhere breaks the chain.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    body_id TEXT,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT,
    ip TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);

-- One row: the last sequence number and hash. Updating it first in every appending
-- transaction serialises appends on PostgreSQL (a row lock), so the chain never forks.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
