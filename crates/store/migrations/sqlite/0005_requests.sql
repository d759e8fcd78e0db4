-- Delivery chains, versioned per offering, and requests moving through them.
-- A request keeps the chain version it started with; a new version never changes a case
-- in flight.
CREATE TABLE chains (
    offering_id TEXT NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    body_id TEXT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    chain_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (offering_id, version)
);

-- One client's case. The state columns mirror the last event, so queues are one indexed
-- query; `version` is the optimistic lock every move checks in its UPDATE.
CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    offering_id TEXT NOT NULL REFERENCES offerings(id),
    chain_version BIGINT NOT NULL,
    variant_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    stage_key TEXT NOT NULL,
    stage_unit_id TEXT,
    phase TEXT NOT NULL CHECK (phase IN ('open', 'waiting_for_client', 'suspended', 'closed')),
    outcome TEXT,
    extensions BIGINT NOT NULL DEFAULT 0,
    assignee_id TEXT,
    -- Personal data (152-FZ): only what is needed to answer the client.
    client_name TEXT NOT NULL DEFAULT '',
    client_email TEXT,
    client_phone TEXT,
    client_address TEXT,
    subject TEXT NOT NULL DEFAULT '',
    fields_json TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    stage_entered_at BIGINT NOT NULL,
    stage_due_at BIGINT,
    due_at BIGINT,
    closed_at BIGINT,
    paused_ms BIGINT NOT NULL DEFAULT 0,
    paused_since BIGINT,
    events BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX requests_body_phase ON requests(body_id, phase);
CREATE INDEX requests_unit_phase ON requests(stage_unit_id, phase);
CREATE INDEX requests_assignee ON requests(assignee_id);
CREATE INDEX requests_offering ON requests(offering_id, created_at);
CREATE INDEX requests_due ON requests(phase, due_at);

-- Append-only facts. Each event's hash covers the previous event of the same request, so
-- a request's history is tamper-evident without one global lock on every move.
CREATE TABLE request_events (
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    stage_key TEXT NOT NULL,
    to_stage TEXT,
    outcome TEXT,
    days BIGINT,
    assignee_id TEXT,
    note TEXT NOT NULL DEFAULT '',
    client_visible BIGINT NOT NULL,
    actor TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (request_id, seq)
);
CREATE INDEX request_events_at ON request_events(at);
