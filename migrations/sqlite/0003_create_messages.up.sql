-- Messages of message areas. Deleting a user or a parent keeps the message.
CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_id INTEGER NOT NULL CHECK (area_id > 0),
  from_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  to_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  parent_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX messages_area ON messages (area_id, id);
CREATE INDEX messages_from_user ON messages (from_user_id);
CREATE INDEX messages_to_user ON messages (to_user_id);
CREATE INDEX messages_parent ON messages (parent_id);

-- The messages the down script set aside come back, with the id high-water mark; users
-- deleted meanwhile are forgotten, as deleting them would have done.
CREATE TABLE IF NOT EXISTS impulse_aside_0003_messages (
  id INT, area_id INT, from_user_id INT, to_user_id INT, subject TEXT, body TEXT, parent_id INT,
  created_at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0003_ids (name TEXT, seq INT);

INSERT INTO messages (id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
SELECT id, area_id, (SELECT u.id FROM users u WHERE u.id = a.from_user_id),
       (SELECT u.id FROM users u WHERE u.id = a.to_user_id), subject, body, parent_id, created_at
FROM impulse_aside_0003_messages a;

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0003_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'messages');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0003_ids))
WHERE name = 'messages' AND EXISTS (SELECT 1 FROM impulse_aside_0003_ids);

DROP TABLE impulse_aside_0003_messages;
DROP TABLE impulse_aside_0003_ids;
