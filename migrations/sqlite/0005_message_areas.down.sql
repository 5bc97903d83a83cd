-- Back to messages with a bare area id: every message is kept. What goes (the areas, with
-- their id high-water mark, and each message's number, names, thread, FidoNet ids and
-- kludges) is set aside for the up script to restore.
CREATE TABLE impulse_aside_0005_areas AS SELECT * FROM message_areas;
CREATE TABLE impulse_aside_0005_ids AS
SELECT name, seq FROM sqlite_sequence WHERE name = 'message_areas';
CREATE TABLE impulse_aside_0005_messages (
  id INTEGER PRIMARY KEY, area_id INT, parent_id INT, msg_num INT, from_name TEXT,
  to_name TEXT, thread_root_id INT, ftn_msgid TEXT, ftn_reply TEXT, kludges TEXT
);
INSERT INTO impulse_aside_0005_messages
SELECT id, area_id, parent_id, msg_num, from_name, to_name, thread_root_id, ftn_msgid,
       ftn_reply, kludges
FROM messages;

CREATE TABLE messages_old (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_id INTEGER NOT NULL CHECK (area_id > 0),
  from_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  to_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  parent_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
) STRICT;

INSERT INTO messages_old (id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
SELECT id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at FROM messages;

-- Keep the id high-water mark, so ids of deleted rows are never reused.
DELETE FROM sqlite_sequence WHERE name = 'messages_old';
INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_old', seq FROM sqlite_sequence WHERE name = 'messages';

DROP TABLE messages;
ALTER TABLE messages_old RENAME TO messages;
DROP TABLE message_areas;

CREATE INDEX messages_area ON messages (area_id, id);
CREATE INDEX messages_from_user ON messages (from_user_id);
CREATE INDEX messages_to_user ON messages (to_user_id);
CREATE INDEX messages_parent ON messages (parent_id);
