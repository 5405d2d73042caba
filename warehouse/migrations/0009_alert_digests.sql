-- 0009 alert digests: one message per period instead of one per spike ([alerts] digest_hours).
--
-- A digest covers [period_start, period_end): the spikes stored since the last digest that
-- reached every target, and the top stories of every watched item. Its spikes are marked
-- sent in `alerts` once the digest reached every target; a failed digest is tried again
-- on the next cycle (same period_start, a later period_end), only to the targets it missed.
-- Watched entities and saved searches store their alerts under `alerts.topic` =
-- 'entity:NAME' or 'search:NAME'; a plain name is a topic, as before.
CREATE TABLE alert_digests (
    period_start     TIMESTAMP NOT NULL PRIMARY KEY,  -- UTC, inclusive
    period_end       TIMESTAMP NOT NULL,              -- UTC, exclusive: when it was composed
    spikes           INTEGER NOT NULL,                -- alerts it carried
    status           VARCHAR NOT NULL,                -- sent | failed | gave_up
    attempts         INTEGER NOT NULL DEFAULT 0,
    delivered_to     JSON,                            -- keys of the targets that accepted it
    last_error       VARCHAR,                         -- why the last attempt failed (secrets removed)
    created_at       TIMESTAMP NOT NULL,
    last_attempt_at  TIMESTAMP
);
