-- The catalogue: bodies, their units and employees, client segments and offerings.
-- Times are UTC milliseconds since the epoch (BIGINT) so both backends read them alike.
CREATE TABLE bodies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    parent_id TEXT REFERENCES units(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX units_body ON units(body_id);

CREATE TABLE employees (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units(id),
    full_name TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    email TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX employees_unit ON employees(unit_id);

CREATE TABLE segments (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('internal', 'external')),
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (body_id, name)
);

CREATE TABLE offerings (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('product', 'service')),
    product_type TEXT,
    service_kind TEXT,
    owner_unit_id TEXT NOT NULL REFERENCES units(id),
    responsible_employee_id TEXT REFERENCES employees(id) ON DELETE SET NULL,
    legal_basis TEXT NOT NULL DEFAULT '[]',
    channels TEXT NOT NULL DEFAULT '[]',
    fee_kopecks BIGINT,
    term_value BIGINT,
    term_unit TEXT,
    required_documents TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (body_id, name),
    CHECK ((kind = 'product' AND product_type IS NOT NULL AND service_kind IS NULL)
        OR (kind = 'service' AND service_kind IS NOT NULL AND product_type IS NULL))
);
CREATE INDEX offerings_unit ON offerings(owner_unit_id);

CREATE TABLE offering_segments (
    offering_id TEXT NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
    segment_id TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    benefit TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    PRIMARY KEY (offering_id, segment_id)
);
CREATE INDEX offering_segments_segment ON offering_segments(segment_id);

CREATE TABLE outputs (
    service_id TEXT NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
    note TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    PRIMARY KEY (service_id, product_id)
);
CREATE INDEX outputs_product ON outputs(product_id);
