-- The kiosk's event log and its outbox. Events are never updated or deleted; `seq` is
-- the kiosk's own sequence number (1, 2, 3 … without gaps). The outbox holds the
-- sequence numbers the hub has not acknowledged yet.

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    device_time INTEGER NOT NULL,
    schema      INTEGER NOT NULL,
    body        TEXT NOT NULL
) STRICT;

-- card_uid and spend: what the event spends from a card, counted against the card's
-- offline allowance until the hub acknowledges it.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY REFERENCES events(seq),
    card_uid    TEXT,
    spend       INTEGER NOT NULL DEFAULT 0 CHECK (spend >= 0)
) STRICT;
CREATE INDEX outbox_by_card ON outbox(card_uid) WHERE card_uid IS NOT NULL;
