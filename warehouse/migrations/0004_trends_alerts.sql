-- 0004 trends and alerts: coverage per topic/entity per hour and day, and stored spike alerts.
--
-- When did an article happen? (article_times.event_at, UTC TIMESTAMP)
--   * published_at when it is known to the second (precision 'second', or no precision given);
--   * a date-only published_at ('day') is placed at the hour newsmon ingested it when that
--     was the same day (live feeds), else at midnight of that day (back-filled archives);
--   * ingested_at when published_at is missing or only month-precise: a month says nothing
--     about the hour or the day, and spreading it would invent a trend;
--   * ingested_at when published_at is more than a day after it: newsmon cannot have read
--     an article before it was published, so that date is wrong (a bad time zone, a typo).
--     This also bounds event_at <= ingested_at + 1 day, which lets trend queries skip old
--     row groups by ingested_at (articles) and tagged_at (article_topics) min/max.
-- Buckets are date_trunc on that TIMESTAMP (bucketing a TIMESTAMPTZ is 6-8x slower here).
-- A source is the article's source, else 'unknown' (the extractors fill it from the page's
-- site name or the feed; parsing URLs here would cost more than the whole query).
-- stories = distinct near-duplicate clusters: ten sites running one wire text are one story.

CREATE VIEW article_times AS
SELECT
    article_id,
    cluster_id,
    coalesce(nullif(source, ''), 'unknown') AS source,
    CASE
        WHEN published_at IS NULL OR published_precision = 'month'
            OR published_at > ingested_at + INTERVAL 1 DAY THEN ingested_at
        WHEN published_precision = 'day' AND ingested_at::DATE = published_at::DATE
            THEN ingested_at
        ELSE published_at
    END AS event_at,
    published_at,
    ingested_at
FROM articles;

CREATE VIEW topic_hourly AS
SELECT t.topic, date_trunc('hour', a.event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT a.cluster_id) AS stories,
       count(DISTINCT a.source) AS sources
FROM article_topics t JOIN article_times a USING (article_id)
GROUP BY ALL;

CREATE VIEW topic_daily AS
SELECT t.topic, date_trunc('day', a.event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT a.cluster_id) AS stories,
       count(DISTINCT a.source) AS sources
FROM article_topics t JOIN article_times a USING (article_id)
GROUP BY ALL;

CREATE VIEW entity_hourly AS
SELECT e.entity, date_trunc('hour', a.event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT a.cluster_id) AS stories,
       count(DISTINCT a.source) AS sources
FROM article_entities e JOIN article_times a USING (article_id)
GROUP BY ALL;

CREATE VIEW entity_daily AS
SELECT e.entity, date_trunc('day', a.event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT a.cluster_id) AS stories,
       count(DISTINCT a.source) AS sources
FROM article_entities e JOIN article_times a USING (article_id)
GROUP BY ALL;

-- One row per spike. (topic, window_end) is the key: detection re-run over the same data
-- finds the same window and INSERT OR IGNORE keeps the first row; the cool-down (newsmon
-- config [alerts] cooldown_hours) keeps neighbouring windows of one spike out.
CREATE TABLE alerts (
    topic            VARCHAR NOT NULL,
    window_start     TIMESTAMP NOT NULL,     -- UTC, inclusive
    window_end       TIMESTAMP NOT NULL,     -- UTC, exclusive; an hour boundary
    count            INTEGER NOT NULL,       -- stories (distinct clusters) in the window
    articles         INTEGER NOT NULL,       -- articles in the window (copies included)
    sources          INTEGER NOT NULL,       -- distinct sources in the window
    baseline         DOUBLE NOT NULL,        -- median stories in the same hours on past days
    spread           DOUBLE NOT NULL,        -- robust spread used (MAD, floored)
    score            DOUBLE NOT NULL,        -- (count - baseline) / spread
    top_articles     JSON NOT NULL,          -- [{article_id, title, url, source, published_at,
                                             --   copies, score, evidence}], one per story
    detected_at      TIMESTAMP NOT NULL,     -- the "as of" time of the detection
    created_at       TIMESTAMP NOT NULL,
    status           VARCHAR NOT NULL,       -- pending | sent | failed | gave_up | no_targets
    attempts         INTEGER NOT NULL DEFAULT 0,   -- delivery attempts made
    delivered_to     JSON,                   -- keys of the targets that accepted it
    last_error       VARCHAR,                -- why the last attempt failed (secrets removed)
    last_attempt_at  TIMESTAMP,
    PRIMARY KEY (topic, window_end)
);
