-- 0002 tags: topics and tracked entities per article, and the taxonomy that produced them.
-- Written in the same transaction as the article (newsmon.pipeline.Loader.load) and
-- replaced per batch by `newsmon retag`. Topic and entity ids are the stable keys of the
-- taxonomy files (newsmon/defaults/topics.toml, entities.toml, or the user's own).

-- Every taxonomy version that has tagged something: content is the canonical JSON the
-- version hashes, so any stored tag can be explained by the exact rules that made it.
CREATE TABLE taxonomies (
    taxonomy_version  VARCHAR PRIMARY KEY,
    content           JSON,                  -- NULL only if the version was never loaded here
    first_used        TIMESTAMP NOT NULL
);

CREATE TABLE article_topics (
    article_id        BIGINT NOT NULL,
    topic             VARCHAR NOT NULL,       -- topic id, e.g. arms_trade
    score             DOUBLE,                 -- sum of matched term weights (>= the topic's threshold)
    evidence          JSON,                   -- [{"term", "text", "start", "end", "weight", "field"}]: offsets into articles.text or .title
    taxonomy_version  VARCHAR,
    tagged_at         TIMESTAMP,
    PRIMARY KEY (article_id, topic)
);

CREATE TABLE article_entities (
    article_id        BIGINT NOT NULL,
    entity            VARCHAR NOT NULL,       -- entity id, e.g. kim_jong_un
    mentions          INTEGER,                -- alias occurrences in the text
    kind              VARCHAR,                -- person | place | organisation | other
    taxonomy_version  VARCHAR,
    PRIMARY KEY (article_id, entity)
);

-- Which taxonomy version last tagged each article, also when it found nothing: how
-- `newsmon retag` knows what is out of date.
CREATE TABLE article_tagging (
    article_id        BIGINT PRIMARY KEY,
    taxonomy_version  VARCHAR NOT NULL,
    tagged_at         TIMESTAMP NOT NULL
);
