-- The desk finds citizens by the beginning of their nickname among 500,000.

CREATE INDEX citizens_by_nickname ON citizens (json_extract(definition, '$.nickname'));
