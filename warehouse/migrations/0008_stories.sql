-- 0008 stories: articles about one event, across sources and languages (newsmon.stories).
--
-- story_id is the article_id of the story's first article, like cluster_id for copies of
-- one text; a story holds one or more near-duplicate clusters. story_terms are what the
-- story vote compared (tracked entities, folded names, numbers, topics), kept so the
-- window's stories are rebuilt without re-reading text. Rows stored before this migration
-- are each their cluster's story and have no terms (they are never voted on again).
--
-- stories in every trend view now counts distinct story_id: one event reported by ten
-- outlets in their own words is one story, as one wire text copied ten times already was.
-- reports keeps the old count (distinct near-duplicate clusters: texts written apart).
ALTER TABLE articles ADD COLUMN story_id BIGINT;
ALTER TABLE articles ADD COLUMN story_terms VARCHAR[];
UPDATE articles SET story_id = cluster_id WHERE story_id IS NULL;

CREATE OR REPLACE VIEW article_times AS
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
    ingested_at,
    coalesce(story_id, cluster_id) AS story_id
FROM articles;

CREATE OR REPLACE VIEW coverage_hourly AS
SELECT date_trunc('hour', event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT story_id) AS stories,
       count(DISTINCT source) AS sources,
       count(DISTINCT cluster_id) AS reports
FROM article_times
GROUP BY ALL;

CREATE OR REPLACE VIEW coverage_daily AS
SELECT date_trunc('day', event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT story_id) AS stories,
       count(DISTINCT source) AS sources,
       count(DISTINCT cluster_id) AS reports
FROM article_times
GROUP BY ALL;

CREATE OR REPLACE VIEW topic_hourly AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT t.topic, date_trunc('hour', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.story_id) AS stories,
             count(DISTINCT a.source) AS sources,
             count(DISTINCT a.cluster_id) AS reports
      FROM article_topics t JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_hourly c USING (bucket);

CREATE OR REPLACE VIEW topic_daily AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT t.topic, date_trunc('day', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.story_id) AS stories,
             count(DISTINCT a.source) AS sources,
             count(DISTINCT a.cluster_id) AS reports
      FROM article_topics t JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_daily c USING (bucket);

CREATE OR REPLACE VIEW entity_hourly AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT e.entity, date_trunc('hour', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.story_id) AS stories,
             count(DISTINCT a.source) AS sources,
             count(DISTINCT a.cluster_id) AS reports
      FROM article_entities e JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_hourly c USING (bucket);

CREATE OR REPLACE VIEW entity_daily AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT e.entity, date_trunc('day', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.story_id) AS stories,
             count(DISTINCT a.source) AS sources,
             count(DISTINCT a.cluster_id) AS reports
      FROM article_entities e JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_daily c USING (bucket);
