-- 0020 feed entry text: the hash of the text an entry brought with it.
--
-- A ticker's flashes each carry their own text and all link the ticker's one page: the
-- link cannot tell them apart, their ids and texts can. Kept beside the entry's id so a
-- later poll tells another flash (another id, another text) from the one stored (the
-- same text, whatever id a feed that renews its ids gives it). NULL for an entry that
-- brought no text of its own, and for every item stored before.
ALTER TABLE feed_items ADD COLUMN IF NOT EXISTS entry_hash VARCHAR;
