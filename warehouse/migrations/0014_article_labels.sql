-- 0014 article_labels: an analyst's word on whether an article is about a topic.
--
-- `newsmon topics mark` records them; the article's tags follow them at once and after
-- every `newsmon retag` (a topic marked carried is kept or added, one marked not carried
-- is removed), whatever the scorer decides. One row per (article, topic), the latest word
-- kept: no key (a DuckLake has none), the writer replaces a pair's row.
CREATE TABLE article_labels (
    article_id BIGINT,
    topic VARCHAR,
    carried BOOLEAN,
    labelled_at TIMESTAMP
);
