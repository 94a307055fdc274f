-- What dispatch tells the rider at the next tap: the vehicle and the expected pickup time.

ALTER TABLE rides ADD COLUMN vehicle TEXT;
ALTER TABLE rides ADD COLUMN eta INTEGER;
