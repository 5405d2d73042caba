-- 0012 when a feed last brought a new item.
--
-- An unchanged poll (a 304, or the same items again) lengthens a feed's interval only
-- once the feed has been quiet for two of its publishing gaps: an hourly feed polled
-- every 15 minutes brings nothing on most polls, and growing its interval on each of
-- them would make it late for the next item.
ALTER TABLE feeds ADD COLUMN last_new_at TIMESTAMP;
