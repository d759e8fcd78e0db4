-- Dashboards (issue 5).
--
-- What an offering's transactions cost, entered by its service owner per period, for the
-- GOV.UK "cost per transaction" figure: the amount counts in proportion to the days of a
-- report's period it covers. Money in kopecks, an exact integer on both backends.
-- Periods are whole days: `period_from` is a UTC midnight (included), `period_to` the
-- midnight after the last day (excluded).
CREATE TABLE offering_costs (
    id TEXT PRIMARY KEY,
    offering_id TEXT NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    amount_kopecks BIGINT NOT NULL CHECK (amount_kopecks >= 0),
    note TEXT NOT NULL DEFAULT '',
    entered_at BIGINT NOT NULL,
    CHECK (period_from < period_to)
);
CREATE INDEX offering_costs_offering ON offering_costs(offering_id, period_from);

-- The analytics cache asks "which ratings changed since…" on every report.
CREATE INDEX request_ratings_updated ON request_ratings(updated_at);
