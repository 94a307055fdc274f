-- The hub's database: directory, kiosks and enrolment, staff, the events every kiosk
-- pushed (exactly once, keyed by kiosk and sequence and by event id), the hub's own
-- projections, the change feed kiosks pull, flags and the audit log.

CREATE TABLE places (id TEXT PRIMARY KEY, definition TEXT NOT NULL) STRICT;

CREATE TABLE kiosks (
    id              TEXT PRIMARY KEY,
    place_id        TEXT NOT NULL REFERENCES places(id),
    code            TEXT NOT NULL UNIQUE,
    definition      TEXT NOT NULL,
    credential_hash TEXT UNIQUE,
    enrolled_at     INTEGER,
    revoked_at      INTEGER,
    last_seen_at    INTEGER,
    health          TEXT
) STRICT;

CREATE TABLE enrolment_codes (
    code_hash   TEXT PRIMARY KEY,
    place_id    TEXT NOT NULL REFERENCES places(id),
    kiosk_code  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;

CREATE TABLE staff (
    id              TEXT PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('staff', 'manager')),
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    last_failed_at  INTEGER
) STRICT;

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    staff_id    TEXT NOT NULL REFERENCES staff(id),
    expires_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE citizens (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    definition      TEXT NOT NULL,
    pin_hash        TEXT,
    port_arrival_at INTEGER
) STRICT;

CREATE TABLE cards (
    uid         TEXT PRIMARY KEY,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    issued_at   INTEGER NOT NULL,
    revoked_at  INTEGER,
    replaced_by TEXT
) STRICT;
CREATE INDEX cards_by_citizen ON cards(citizen_id);

CREATE TABLE catalogue (id TEXT PRIMARY KEY, stock INTEGER, definition TEXT NOT NULL) STRICT;
CREATE TABLE stops (id TEXT PRIMARY KEY, definition TEXT NOT NULL) STRICT;
CREATE TABLE themes (id TEXT PRIMARY KEY, closes_at INTEGER NOT NULL, definition TEXT NOT NULL) STRICT;

-- Every event applied, once: (kiosk, seq) is the kiosk's key, id the event's own.
CREATE TABLE events (
    kiosk_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    device_time INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, seq)
) STRICT;

CREATE TABLE ledger (
    id          INTEGER PRIMARY KEY,
    event_id    TEXT,
    account     TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    reason      TEXT NOT NULL
) STRICT;
CREATE INDEX ledger_by_account ON ledger(account);

-- Each citizen's wallet (lots and debt) and, per kiosk, the highest sequence number of
-- that kiosk's events it includes — what kiosks need to replay their own later events.
CREATE TABLE wallets (
    citizen_id  TEXT PRIMARY KEY REFERENCES citizens(id),
    wallet      TEXT NOT NULL,
    marks       TEXT NOT NULL
) STRICT;

CREATE TABLE visits (event_id TEXT PRIMARY KEY, citizen_id TEXT, place_id TEXT NOT NULL, day INTEGER NOT NULL, kind TEXT NOT NULL) STRICT;
CREATE INDEX visits_by_day ON visits(day, place_id);

CREATE TABLE ballots (
    theme_id    TEXT NOT NULL,
    citizen_id  TEXT NOT NULL,
    choices     TEXT NOT NULL,
    origin      TEXT NOT NULL,
    cast_at     INTEGER NOT NULL,
    PRIMARY KEY (theme_id, citizen_id)
) STRICT;

CREATE TABLE rides (
    id          TEXT PRIMARY KEY,
    citizen_id  TEXT NOT NULL,
    pickup_at   INTEGER NOT NULL,
    status      TEXT NOT NULL,
    vehicle     TEXT,
    driver      TEXT,
    eta         INTEGER,
    definition  TEXT NOT NULL
) STRICT;
CREATE INDEX rides_by_pickup ON rides(pickup_at);

CREATE TABLE coupons (code TEXT PRIMARY KEY, citizen_id TEXT NOT NULL, item_id TEXT NOT NULL, issued_at INTEGER NOT NULL, used_at INTEGER) STRICT;

-- What kiosks pull, in order. Revocations are also pulled ahead of everything else.
CREATE TABLE changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind    TEXT NOT NULL,
    body    TEXT NOT NULL
) STRICT;
CREATE INDEX changes_by_kind ON changes(kind, seq);

CREATE TABLE flags (
    id          INTEGER PRIMARY KEY,
    kiosk_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    raised_at   INTEGER NOT NULL,
    body        TEXT NOT NULL,
    resolved_at INTEGER
) STRICT;

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    staff_id    TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    before      TEXT,
    after       TEXT
) STRICT;
