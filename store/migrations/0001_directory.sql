-- The directory a kiosk mirrors from the hub: places, kiosks, stops, citizens, cards,
-- the catalogue and dialogue themes. Definitions that are only ever read whole are kept
-- as JSON of the core type; columns exist only where the store queries or updates.

CREATE TABLE places (
    id          TEXT PRIMARY KEY,
    definition  TEXT NOT NULL
) STRICT;

CREATE TABLE kiosks (
    id          TEXT PRIMARY KEY,
    place_id    TEXT NOT NULL REFERENCES places(id),
    definition  TEXT NOT NULL
) STRICT;

-- Which kiosk this database belongs to: exactly one row once provisioned.
CREATE TABLE kiosk_identity (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    kiosk_id    TEXT NOT NULL REFERENCES kiosks(id)
) STRICT;

CREATE TABLE stops (
    id          TEXT PRIMARY KEY,
    definition  TEXT NOT NULL
) STRICT;

CREATE TABLE citizens (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('resident', 'e_citizen')),
    nickname        TEXT NOT NULL,
    home_region     TEXT NOT NULL,
    age_band        TEXT NOT NULL,
    registered_at   INTEGER NOT NULL,
    pin_hash        TEXT,
    port_arrival_at INTEGER
) STRICT;

-- Card identifiers in canonical form; a citizen may hold several.
CREATE TABLE cards (
    uid         TEXT PRIMARY KEY,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    issued_at   INTEGER NOT NULL,
    revoked_at  INTEGER,
    replaced_by TEXT
) STRICT;
CREATE INDEX cards_by_citizen ON cards(citizen_id);

-- stock NULL means unlimited.
CREATE TABLE catalogue (
    id          TEXT PRIMARY KEY,
    stock       INTEGER CHECK (stock IS NULL OR stock >= 0),
    definition  TEXT NOT NULL
) STRICT;

CREATE TABLE themes (
    id          TEXT PRIMARY KEY,
    opens_at    INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    definition  TEXT NOT NULL
) STRICT;
CREATE INDEX themes_by_close ON themes(closes_at);
