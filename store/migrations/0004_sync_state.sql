-- What the sync client remembers between runs: where the change feed stopped, and the
-- events the hub refused (kept for staff; never sent again).

CREATE TABLE sync_state (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
) STRICT;

CREATE TABLE sync_rejections (
    seq         INTEGER PRIMARY KEY REFERENCES events(seq),
    reason      TEXT NOT NULL,
    rejected_at INTEGER NOT NULL
) STRICT;
