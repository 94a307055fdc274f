-- Wallets as the hub last reported them, with the highest sequence number of this kiosk's
-- own events the hub had applied for that citizen. A citizen's points here are the hub's
-- wallet plus this kiosk's later events replayed on top.

CREATE TABLE hub_wallets (
    citizen_id  TEXT PRIMARY KEY REFERENCES citizens(id),
    wallet      TEXT NOT NULL,
    mark        INTEGER NOT NULL
) STRICT;
