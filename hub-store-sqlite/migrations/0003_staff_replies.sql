-- Answers to staff writes, kept for a day under the idempotency key the client sent, so a
-- write sent again after its answer was lost is answered again rather than applied again.

CREATE TABLE staff_replies (
    staff_id    TEXT NOT NULL,
    key         TEXT NOT NULL,
    request     TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        BLOB NOT NULL,
    kept_at     INTEGER NOT NULL,
    PRIMARY KEY (staff_id, key)
) STRICT;
CREATE INDEX staff_replies_by_age ON staff_replies (kept_at);
