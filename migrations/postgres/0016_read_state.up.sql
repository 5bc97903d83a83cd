-- Read state (issue 13): a per-user new-scan selection beside each last-read pointer, and the
-- indexes that keep setting pointers by date and counting unread messages other than the
-- reader's own flat.
--
-- scanned: whether the area is in the user's new-scan (1, the default: every area is scanned
-- until the user says otherwise; a row made only to say 0 has pointer 0, as no row has).
ALTER TABLE last_read ADD COLUMN scanned SMALLINT NOT NULL DEFAULT 1
  CONSTRAINT last_read_scanned_check CHECK (scanned IN (0, 1));

-- reading.setPointersByDate: the last message of an area posted before a date, one index seek.
CREATE INDEX messages_area_created ON messages (area_id, created_at, msg_num);

-- reading.newScan and readNext without the reader's own messages: the reader's own messages of
-- an area above a pointer, counted on this index alone.
CREATE INDEX messages_from_area_num ON messages (from_user_id, area_id, msg_num);

-- What the down script set aside (the areas users left out of their new-scan) comes back, but
-- for users or areas deleted meanwhile.
CREATE TABLE IF NOT EXISTS impulse_aside_0016_unscanned (user_id BIGINT, area_id BIGINT);

UPDATE last_read SET scanned = 0
WHERE EXISTS (
  SELECT 1 FROM impulse_aside_0016_unscanned a
  WHERE a.user_id = last_read.user_id AND a.area_id = last_read.area_id
);

INSERT INTO last_read (user_id, area_id, last_read, scanned)
SELECT DISTINCT a.user_id, a.area_id, 0, 0 FROM impulse_aside_0016_unscanned a
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id)
  AND EXISTS (SELECT 1 FROM message_areas m WHERE m.id = a.area_id)
  AND NOT EXISTS (
    SELECT 1 FROM last_read r WHERE r.user_id = a.user_id AND r.area_id = a.area_id
  );

DROP TABLE impulse_aside_0016_unscanned;
