-- What staff set on the kiosk's staff screen (volume, the starting language), kept across
-- restarts. Keys are fixed names; values are text.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
