-- Erasing a person's data (152-FZ art. 21) must not break the audit chain. From this
-- migration on, an entry is sealed over a digest of its before/after snapshots rather
-- than the snapshots themselves (hash_version 2), so the snapshots of an entry can be
-- replaced by a redaction marker while the chain still verifies. Entries written before
-- keep version 1 and their original sealing; they cannot be redacted.
ALTER TABLE audit_log ADD COLUMN hash_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN payload_digest TEXT;
ALTER TABLE audit_log ADD COLUMN redacted_at BIGINT;
