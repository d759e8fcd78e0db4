-- Outgoing e-mail, queued durably. A row is written in the same transaction as the change
-- it tells about, so a committed change always has its mail and a rolled-back one never
-- does. A sender claims due rows one by one (an UPDATE that moves next_attempt_at on, if it
-- is still the value read), sends, and marks them sent; on failure it backs off.
-- failed_at is set when the sender gives up; such rows stay for an operator to see.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- What the mail is about: request_created, request_changed, deadline_due_soon, deadline_overdue.
    kind TEXT NOT NULL,
    request_id TEXT,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT,
    failed_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(sent_at, failed_at, next_attempt_at);
CREATE INDEX outbox_request ON outbox(request_id);

-- Deadline alerts already queued for staff: one per request, stage, due date and kind
-- (due_soon, overdue), so the periodic sweep never repeats itself, on any number of nodes.
CREATE TABLE deadline_alerts (
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    stage_key TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, stage_key, due_at, kind)
);
