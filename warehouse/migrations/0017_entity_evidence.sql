-- 0017 entity evidence: the words behind each entity tag.
--
-- A topic tag stores its evidence (term, the words matched, offsets into the text or the
-- title); an entity tag stored only how many mentions it had. An analyst asking why an
-- article is tagged with the Kremlin (للكرملين? a football club?) had to re-run the tagger.
-- evidence is the same JSON list as article_topics.evidence: per mention, the alias, the
-- words it matched and their offsets. NULL for tags stored before this migration, until
-- `newsmon retag --all` writes them again.
ALTER TABLE article_entities ADD COLUMN IF NOT EXISTS evidence VARCHAR;
