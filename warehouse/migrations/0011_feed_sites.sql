-- 0011 feed sites: a site's address given where a feed was expected, and the feed found.
--
-- `newsmon ingest https://site/` or a [[feeds]] url that answers with a web page is looked
-- at for its feeds (<link rel="alternate">, then the usual paths such as /feed and
-- /rss.xml); the feed chosen is stored here, so later cycles poll it directly and the
-- feed's own state lives under feed_url in `feeds`.
CREATE TABLE feed_sites (
    site_url   VARCHAR PRIMARY KEY,  -- as configured or given
    feed_url   VARCHAR NOT NULL,     -- the feed chosen
    how        VARCHAR NOT NULL,     -- linked from the page | the usual path /feed ...
    found_at   TIMESTAMP NOT NULL    -- UTC
);
