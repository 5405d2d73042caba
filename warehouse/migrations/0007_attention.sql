-- 0007 attention: a topic's (or entity's) share of all coverage in the same bucket.
--
-- A rise in raw counts on a busy news day can be no rise in attention, and a quiet day can
-- hide one; GDELT and Media Cloud report the share for that reason. coverage_* count every
-- article; the topic_* and entity_* views gain all_stories (stories of any topic in that
-- bucket) and share = stories / all_stories.
CREATE VIEW coverage_hourly AS
SELECT date_trunc('hour', event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT cluster_id) AS stories,
       count(DISTINCT source) AS sources
FROM article_times
GROUP BY ALL;

CREATE VIEW coverage_daily AS
SELECT date_trunc('day', event_at) AS bucket,
       count(*) AS articles,
       count(DISTINCT cluster_id) AS stories,
       count(DISTINCT source) AS sources
FROM article_times
GROUP BY ALL;

DROP VIEW topic_hourly;
CREATE VIEW topic_hourly AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT t.topic, date_trunc('hour', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.cluster_id) AS stories,
             count(DISTINCT a.source) AS sources
      FROM article_topics t JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_hourly c USING (bucket);

DROP VIEW topic_daily;
CREATE VIEW topic_daily AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT t.topic, date_trunc('day', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.cluster_id) AS stories,
             count(DISTINCT a.source) AS sources
      FROM article_topics t JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_daily c USING (bucket);

DROP VIEW entity_hourly;
CREATE VIEW entity_hourly AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT e.entity, date_trunc('hour', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.cluster_id) AS stories,
             count(DISTINCT a.source) AS sources
      FROM article_entities e JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_hourly c USING (bucket);

DROP VIEW entity_daily;
CREATE VIEW entity_daily AS
SELECT v.*, c.stories AS all_stories, v.stories / c.stories AS share
FROM (SELECT e.entity, date_trunc('day', a.event_at) AS bucket,
             count(*) AS articles,
             count(DISTINCT a.cluster_id) AS stories,
             count(DISTINCT a.source) AS sources
      FROM article_entities e JOIN article_times a USING (article_id)
      GROUP BY ALL) v
JOIN coverage_daily c USING (bucket);
