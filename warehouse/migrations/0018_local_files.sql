-- 0018 local files: the files whose articles are stored, as they were when read.
--
-- A folder a schedule ingests again and again (a drop folder, saved pages) was read and
-- extracted whole on every cycle, only for each article to be found stored already:
-- 16,000 small text files took 23 s a cycle, the 175 fundus news pages 4.5 s. A file whose
-- path, size and modification time are those recorded here is left unread; a changed
-- one is read again. Only articles are recorded: a rejected file is read on every run,
-- so a newer newsmon or other settings can take it.
CREATE TABLE IF NOT EXISTS local_files (
    path        VARCHAR PRIMARY KEY,  -- absolute, as the run found it (links not resolved)
    size        BIGINT NOT NULL,      -- bytes
    mtime_ns    BIGINT NOT NULL,      -- modification time, nanoseconds since the epoch
    article_id  BIGINT NOT NULL,      -- the article it gave (stored then, or before)
    read_at     TIMESTAMP NOT NULL    -- UTC
);
