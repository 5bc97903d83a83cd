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

-- The messages the down script set aside come back, with the id high-water mark; users
-- deleted meanwhile are forgotten, as deleting them would have done.
CREATE TABLE IF NOT EXISTS impulse_aside_0003_messages (LIKE messages);
CREATE TABLE IF NOT EXISTS impulse_aside_0003_ids (name TEXT, seq BIGINT);

INSERT INTO messages (id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
OVERRIDING SYSTEM VALUE
SELECT id, area_id, (SELECT u.id FROM users u WHERE u.id = a.from_user_id),
       (SELECT u.id FROM users u WHERE u.id = a.to_user_id), subject, body, parent_id, created_at
FROM impulse_aside_0003_messages a;

SELECT setval('messages_id_seq', seq) FROM impulse_aside_0003_ids WHERE seq > 0;

DROP TABLE impulse_aside_0003_messages, impulse_aside_0003_ids;
