-- A body's own business calendar: its lines over the federal production calendar
-- (regional holidays and transfers, in the text format of the shipped russia.txt), its
-- UTC offset and its working hours. No row: the federal calendar, Moscow time, 9:00–18:00.
-- The offset is fixed minutes east of UTC, not a zone name: Russia has kept no daylight
-- saving since 2014, so one offset per body is exact. version starts at 1 and grows by
-- one on every save; a save names the version it read (UPDATE … WHERE version = $n), so
-- of two editors on any number of nodes exactly one wins.
CREATE TABLE body_calendars (
    body_id TEXT PRIMARY KEY REFERENCES bodies(id) ON DELETE CASCADE,
    overlay_text TEXT NOT NULL DEFAULT '',
    utc_offset_minutes BIGINT NOT NULL DEFAULT 180 CHECK (utc_offset_minutes BETWEEN -720 AND 840),
    -- 'HH:MM'; NULL: 09:00 and 18:00.
    work_start TEXT,
    work_end TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL
);
