-- 0019 paywalled: the publisher marks the article as not free to read.
--
-- schema.org's isAccessibleForFree, which Google asks paywalled news to carry, on the
-- article or on a section of it: TRUE when the page says it is not free, FALSE when it says
-- it is, NULL when it does not say (and for every article stored before). The text may
-- still be whole: many such pages send it all and hide it in the browser; a short text
-- with paywalled TRUE is the teaser a reader without a subscription sees.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS paywalled BOOLEAN;
