-- How plain each text staff sent to a client was: the checker's score when it was sent.
-- Keyed by the request's version after the move that sent it, so a text is scored once.
-- The score is kept in hundredths to stay an exact integer on both backends.
CREATE TABLE response_clarity (
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    score_centi BIGINT NOT NULL,
    words BIGINT NOT NULL,
    findings BIGINT NOT NULL,
    checked_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, version)
);
CREATE INDEX response_clarity_checked ON response_clarity(checked_at);
