-- Per-user, per-area last-read pointers. A new-scan compares them with each area's
-- high-water mark (message_areas.last_msg_num) without reading message rows.
CREATE TABLE last_read (
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  area_id BIGINT NOT NULL REFERENCES message_areas (id) ON DELETE CASCADE,
  last_read BIGINT NOT NULL CHECK (last_read >= 0),
  PRIMARY KEY (user_id, area_id)
);

CREATE INDEX last_read_area ON last_read (area_id);
