-- Per-user, per-area last-read pointers. A new-scan compares them with each area's
-- high-water mark (message_areas.last_msg_num) without reading message rows.
CREATE TABLE last_read (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  area_id INTEGER NOT NULL REFERENCES message_areas (id) ON DELETE CASCADE,
  last_read INTEGER NOT NULL CHECK (last_read >= 0),
  PRIMARY KEY (user_id, area_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX last_read_area ON last_read (area_id);
