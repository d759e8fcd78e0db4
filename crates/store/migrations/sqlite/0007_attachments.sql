-- Files attached to a request: documents the client sends when asked, and what staff add.
--
-- The bytes live in the database, not on a disk beside it: a backup of the database is a
-- backup of everything, and any number of `okno serve` nodes on one PostgreSQL see the
-- same files without a shared file system. Files are small (10 MiB at most, 20 per
-- request, checked in app/attachments.rs), so this costs little.
--
-- The column type of the bytes is the one place the two backends differ: BLOB on SQLite,
-- BYTEA on PostgreSQL; sqlx's `Any` driver binds and reads both as bytes (Vec<u8>).
CREATE TABLE request_attachments (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    -- The file name as cleaned on upload (no path, no control characters, at most 200
    -- characters); the client's own words, so personal data.
    name TEXT NOT NULL,
    -- The type found by reading the content, never taken from the name or the browser.
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- SHA-256 of the content, hex.
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    -- 'client' (through the tracking code) or the staff actor's label (account:<id>).
    uploaded_by TEXT NOT NULL,
    -- 1 when the body shows the file to the client on the status page.
    client_visible BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX request_attachments_request ON request_attachments(request_id, created_at);
