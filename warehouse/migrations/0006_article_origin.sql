-- 0006 where an article came from, who is credited, and the offset its time was stated in.
--
-- url stays the article's identity (canonical http(s) URL, or file:// URI); origin is what
-- it was read from, as given (a file path, or the page URL as the feed linked it), so an
-- article found under a <link rel=canonical> still says which file or link brought it.
-- Rows stored before this migration have NULL in the new columns.
ALTER TABLE articles ADD COLUMN origin VARCHAR;                -- file path or fetched URL, as given
ALTER TABLE articles ADD COLUMN feed_url VARCHAR;              -- the feed whose entry linked it (NULL: not from a feed)
ALTER TABLE articles ADD COLUMN agencies VARCHAR;              -- news agencies credited ("dpa; AFP"); author holds people
ALTER TABLE articles ADD COLUMN published_utc_offset INTEGER;  -- minutes east of UTC the page stated with published_at
