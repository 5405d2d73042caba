-- 0010 adaptive polling: each feed's own interval, a hash of its last body, parking.
--
-- interval_minutes is the wait after a successful poll, chosen from how often the feed
-- publishes and what it declares (<ttl>, sy:updatePeriod, Cache-Control), within the
-- [polling] bounds, unless [[feeds]] poll_minutes fixes it. body_hash (sha256 of the last
-- body) tells an unchanged body from a changed one when a server repeats its validators.
-- parked_at is set once a feed has failed park_after_failures times in a row: it is then
-- tried once per max_minutes until it answers, or `newsmon feeds --retry URL`.
ALTER TABLE feeds ADD COLUMN interval_minutes DOUBLE;
ALTER TABLE feeds ADD COLUMN body_hash VARCHAR;
ALTER TABLE feeds ADD COLUMN parked_at TIMESTAMP;
