-- Projections of the event log: the ledger and its lots, visits, ballots, rides,
-- coupons and PIN failures. Each row names the event that made it.

-- Double entry: every posting is two rows, -amount on one account and +amount on the
-- other, so SUM(amount) over the table is always zero.
CREATE TABLE ledger (
    id          INTEGER PRIMARY KEY,
    event_seq   INTEGER NOT NULL REFERENCES events(seq),
    account     TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    author      TEXT NOT NULL
) STRICT;
CREATE INDEX ledger_by_account ON ledger(account);

CREATE TABLE lots (
    id          INTEGER PRIMARY KEY,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    event_seq   INTEGER REFERENCES events(seq),
    earned_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    remaining   INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= amount)
) STRICT;
CREATE INDEX lots_by_citizen ON lots(citizen_id, earned_at);

CREATE TABLE visits (
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    place_id    TEXT NOT NULL,
    day         INTEGER NOT NULL,
    event_seq   INTEGER NOT NULL REFERENCES events(seq),
    PRIMARY KEY (citizen_id, place_id, day)
) STRICT;

CREATE TABLE guest_visits (
    event_seq   INTEGER PRIMARY KEY REFERENCES events(seq),
    place_id    TEXT NOT NULL,
    day         INTEGER NOT NULL,
    home_region TEXT
) STRICT;

-- One ballot per citizen per theme: a re-vote replaces the row.
CREATE TABLE ballots (
    theme_id    TEXT NOT NULL,
    citizen_id  TEXT NOT NULL REFERENCES citizens(id),
    choices     TEXT NOT NULL,
    origin      TEXT NOT NULL,
    cast_at     INTEGER NOT NULL,
    event_seq   INTEGER NOT NULL REFERENCES events(seq),
    PRIMARY KEY (theme_id, citizen_id)
) STRICT;

CREATE TABLE rides (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    citizen_id      TEXT NOT NULL REFERENCES citizens(id),
    pickup_place    TEXT NOT NULL,
    destination     TEXT NOT NULL,
    pickup_at       INTEGER NOT NULL,
    asap            INTEGER NOT NULL,
    passengers      INTEGER NOT NULL CHECK (passengers BETWEEN 1 AND 9),
    wheelchair      INTEGER NOT NULL,
    assistance      INTEGER NOT NULL,
    status          TEXT NOT NULL,
    requested_at    INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX rides_by_citizen ON rides(citizen_id, pickup_at);

CREATE TABLE coupons (
    code        TEXT PRIMARY KEY,
    event_seq   INTEGER NOT NULL REFERENCES events(seq),
    citizen_id  TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    cost        INTEGER NOT NULL,
    issued_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE pin_failures (
    citizen_id      TEXT PRIMARY KEY REFERENCES citizens(id),
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL
) STRICT;
