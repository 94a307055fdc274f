-- The dashboard's growth chart counts citizens per registration day (Japan time) and kind.
-- A virtual column names that day, and an index on it answers the count from the index
-- instead of parsing every citizen's record (686 ms over 500,000 citizens before).

ALTER TABLE citizens ADD COLUMN registered_day INTEGER
    GENERATED ALWAYS AS ((json_extract(definition, '$.registered_at') + 32400000) / 86400000) VIRTUAL;
CREATE INDEX citizens_by_registration_day ON citizens (registered_day, kind);
