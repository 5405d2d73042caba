-- 0016 timed: whether an article's event time is its own.
--
-- An article without a usable date happened, for trends and stories, when newsmon read it
-- (or, from a web archive, when it was fetched: 0015). Read from a polled feed or a page
-- fetched from the web, that is about when it appeared. Read from a local file or an
-- archive of texts (a dataset, an export without dates), it is only when someone ingested
-- it: a thousand such texts ingested into a warehouse with a history are a burst in one
-- hour that no coverage made, and spike alerts fired on it. Trends still show them at that
-- hour (the rule for undated articles stands); spike detection counts only articles whose
-- time is their own: timed.
CREATE OR REPLACE VIEW article_times AS
SELECT
    article_id,
    cluster_id,
    coalesce(nullif(source, ''), 'unknown') AS source,
    CASE
        WHEN published_at IS NULL OR published_precision = 'month'
            OR published_at > coalesce(seen_at, ingested_at) + INTERVAL 1 DAY
            THEN coalesce(seen_at, ingested_at)
        WHEN published_precision = 'day'
            AND coalesce(seen_at, ingested_at)::DATE = published_at::DATE
            THEN coalesce(seen_at, ingested_at)
        ELSE published_at
    END AS event_at,
    published_at,
    ingested_at,
    coalesce(story_id, cluster_id) AS story_id,
    -- undated (or dated to the month only), not fetched, and read from a file or from
    -- an archive's entry (its feed a file:// one); a row an older newsmon stored without
    -- its origin counts as timed
    NOT coalesce(
        (published_at IS NULL OR published_precision = 'month'
            OR published_at > ingested_at + INTERVAL 1 DAY)
        AND seen_at IS NULL
        AND (feed_url LIKE 'file:%' OR (feed_url IS NULL AND origin NOT LIKE 'http%')),
        FALSE) AS timed
FROM articles;
