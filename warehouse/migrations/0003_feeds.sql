-- 0003 feeds: polling state per feed (survives restarts) and the feed items already handled.

-- One row per feed URL ever polled. Conditional GET uses etag/last_modified; a failing
-- feed is skipped until next_poll_after (exponential back-off, or the server's
-- Retry-After), and comes back by itself once a poll succeeds again.
CREATE TABLE feeds (
    url                   VARCHAR PRIMARY KEY,   -- as configured
    name                  VARCHAR,
    etag                  VARCHAR,               -- last ETag the server sent
    last_modified         VARCHAR,               -- last Last-Modified the server sent (verbatim)
    last_polled_at        TIMESTAMP,             -- UTC
    last_success_at       TIMESTAMP,             -- last 200 or 304
    last_status           VARCHAR,               -- ok | http_304 | a RejectReason value
    last_http_status      INTEGER,
    last_error            VARCHAR,               -- detail of the last failure, or the bozo problem
    consecutive_failures  INTEGER NOT NULL,
    next_poll_after       TIMESTAMP,             -- not polled before this (back-off / poll interval)
    entries_last_poll     INTEGER
);

-- Items (feed entries) already handled, so a re-poll skips them without fetching.
-- item_key is the canonical link, so one story linked from two feeds is handled once;
-- entries without a link use '<feed url>#<entry id>'. Items whose page failed
-- transiently stay retryable (done = false) for a few attempts.
CREATE TABLE feed_items (
    item_key       VARCHAR PRIMARY KEY,
    feed_url       VARCHAR NOT NULL,
    entry_id       VARCHAR,
    url            VARCHAR,
    first_seen_at  TIMESTAMP NOT NULL,
    last_tried_at  TIMESTAMP NOT NULL,
    attempts       INTEGER NOT NULL,
    outcome        VARCHAR NOT NULL,             -- article | a RejectReason value
    article_id     BIGINT,
    done           BOOLEAN NOT NULL
);
