-- 0001 foundation: runs, articles (with near-duplicate clusters), rejects.
-- All timestamps are TIMESTAMP holding UTC: bucketing TIMESTAMPTZ is several times slower.

CREATE TABLE runs (
    run_id       VARCHAR PRIMARY KEY,      -- uuid4 hex
    trigger      VARCHAR NOT NULL,         -- run | ingest | serve | retag ...
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,         -- running | ok | failed | interrupted
    inputs       INTEGER NOT NULL DEFAULT 0,   -- inputs looked at
    added        INTEGER NOT NULL DEFAULT 0,   -- new rows in articles
    duplicates   INTEGER NOT NULL DEFAULT 0,   -- already in the warehouse (or twice in the run)
    rejected     INTEGER NOT NULL DEFAULT 0,   -- rows written to rejects
    reasons      JSON,                     -- {"too_short": 2, "duplicate": 5, ...}
    error        VARCHAR,                  -- why a failed run failed
    host         VARCHAR,
    pid          INTEGER
);

CREATE TABLE articles (
    article_id          BIGINT PRIMARY KEY,   -- hash of the canonical URL, else of the normalised text
    url                 VARCHAR NOT NULL,     -- canonical http(s) URL, or file:// URI for local files
    source              VARCHAR,              -- outlet or agency ("Euronews", "www.example.org")
    title               VARCHAR,
    author              VARCHAR,
    published_at        TIMESTAMP,            -- UTC
    published_precision VARCHAR,              -- month | day | second: how much of published_at is known
    language            VARCHAR,              -- ISO 639-1
    text                VARCHAR NOT NULL,
    content_hash        VARCHAR NOT NULL,     -- sha256 of the normalised text
    cluster_id          BIGINT NOT NULL,      -- article_id of the first article of its near-duplicate cluster
    ingested_at         TIMESTAMP NOT NULL,
    run_id              VARCHAR NOT NULL
);

-- MinHash signatures, kept beside articles so clustering survives restarts without
-- re-reading every text.
CREATE TABLE article_signatures (
    article_id  BIGINT PRIMARY KEY,
    minhash     BLOB NOT NULL
);

CREATE TABLE rejects (
    run_id       VARCHAR NOT NULL,
    input        VARCHAR NOT NULL,          -- the file path or URL as given
    reason       VARCHAR NOT NULL,          -- a newsmon.outcomes.RejectReason value
    detail       VARCHAR,
    rejected_at  TIMESTAMP NOT NULL
);
