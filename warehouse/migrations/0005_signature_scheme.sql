-- 0005 which MinHash scheme made each signature.
--
-- Signatures carry no trace of the hash functions behind them, and two signatures compare
-- only when the same functions made both. Rows written before this migration (datasketch's
-- affine32 scheme) have scheme NULL; newsmon recomputes those from their article's text
-- when it loads the near-duplicate index (newsmon.pipeline.run.load_cluster_index), so a
-- change of scheme never splits a story in two.
ALTER TABLE article_signatures ADD COLUMN scheme VARCHAR;
