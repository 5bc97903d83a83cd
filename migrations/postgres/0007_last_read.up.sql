-- Per-user, per-area last-read pointers. A new-scan compares them with each area's
-- high-water mark (message_areas.last_msg_num) without reading message rows.
CREATE TABLE last_read (
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  area_id BIGINT NOT NULL REFERENCES message_areas (id) ON DELETE CASCADE,
  last_read BIGINT NOT NULL CHECK (last_read >= 0),
  PRIMARY KEY (user_id, area_id)
);

CREATE INDEX last_read_area ON last_read (area_id);

-- The pointers the down script set aside come back, but for those of users or areas deleted
-- meanwhile, which deleting them would have removed.
CREATE TABLE IF NOT EXISTS impulse_aside_0007_last_read (LIKE last_read);

INSERT INTO last_read (user_id, area_id, last_read)
SELECT user_id, area_id, last_read FROM impulse_aside_0007_last_read a
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id)
  AND EXISTS (SELECT 1 FROM message_areas m WHERE m.id = a.area_id);

DROP TABLE impulse_aside_0007_last_read;
