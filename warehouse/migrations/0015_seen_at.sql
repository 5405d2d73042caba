-- 0015 seen_at: when a page was fetched, for an article read later than that.
--
-- An article without a usable date happened, as far as trends and stories go, when
-- newsmon read it (ingested_at). For a page read from a web archive that is wrong: a
-- crawl of 2023 read today would pile its undated pages into today's buckets, a spike
-- that never was. seen_at is when the page was fetched (the archive record's WARC-Date),
-- never after ingested_at; NULL for everything else, read when it was fetched. Event times
-- use it where they used ingested_at, so event_at <= ingested_at + 1 day still holds.
ALTER TABLE articles ADD COLUMN seen_at TIMESTAMP;

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
    coalesce(story_id, cluster_id) AS story_id
FROM articles;
