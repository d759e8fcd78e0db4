-- Client feedback on requests (issue 5): ratings on the five criteria of Government
-- Decree No. 1284, the one-time links mailed to invite them, and the follow-ups a
-- negative rating opens for the service owner.
--
-- One rating per request per stage: `stage_key` is the stage's key, or '' for the whole
-- request. Scores are 1..5 or NULL (a criterion left out). The comment is the client's
-- own words, so personal data.
CREATE TABLE request_ratings (
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    stage_key TEXT NOT NULL,
    score_time BIGINT CHECK (score_time BETWEEN 1 AND 5),
    score_waiting BIGINT CHECK (score_waiting BETWEEN 1 AND 5),
    score_politeness BIGINT CHECK (score_politeness BETWEEN 1 AND 5),
    score_comfort BIGINT CHECK (score_comfort BETWEEN 1 AND 5),
    score_information BIGINT CHECK (score_information BETWEEN 1 AND 5),
    -- Internal clients: 1 yes, 0 no, NULL not asked.
    need_addressed BIGINT,
    comment TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, stage_key)
);
CREATE INDEX request_ratings_created ON request_ratings(created_at);

-- A one-time link mailed to the client. Only the SHA-256 (hex) of the token is kept, so
-- the database alone signs nobody in to rate.
CREATE TABLE feedback_links (
    token_hash TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    stage_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX feedback_links_request ON feedback_links(request_id);

-- A negative rating (a score of 2 or less) asks the service owner to look again.
CREATE TABLE followups (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    stage_key TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    closed_by TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followups_body_open ON followups(body_id, closed_at);
CREATE INDEX followups_request ON followups(request_id);
