-- Messages of message areas. Deleting a user or a parent keeps the message.
CREATE TABLE messages (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  area_id BIGINT NOT NULL CHECK (area_id > 0),
  from_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  to_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  parent_id BIGINT REFERENCES messages (id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX messages_area ON messages (area_id, id);
CREATE INDEX messages_from_user ON messages (from_user_id);
CREATE INDEX messages_to_user ON messages (to_user_id);
CREATE INDEX messages_parent ON messages (parent_id);
