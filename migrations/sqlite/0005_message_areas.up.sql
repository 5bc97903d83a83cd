-- Message areas with per-area message numbers, names on messages, threads and FidoNet ids.
-- Every area id already used by a message becomes an area row (tag "area<id>").
CREATE TABLE message_areas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'local' CHECK (kind IN ('local', 'echomail', 'netmail', 'private')),
  echo_tag TEXT,
  last_msg_num INTEGER NOT NULL DEFAULT 0 CHECK (last_msg_num >= 0),
  msg_count INTEGER NOT NULL DEFAULT 0 CHECK (msg_count >= 0),
  created_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX message_areas_tag_key ON message_areas (tag_key);

INSERT INTO message_areas (id, tag, tag_key, name, last_msg_num, msg_count, created_at)
SELECT area_id, 'area' || area_id, 'area' || area_id, 'Area ' || area_id, count(*), count(*),
       min(created_at)
FROM messages GROUP BY area_id;

CREATE TABLE messages_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_id INTEGER NOT NULL REFERENCES message_areas (id),
  msg_num INTEGER NOT NULL CHECK (msg_num > 0),
  from_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  from_name TEXT NOT NULL,
  to_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  to_name TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  parent_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
  thread_root_id INTEGER,
  ftn_msgid TEXT,
  ftn_reply TEXT,
  kludges TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
) STRICT;

WITH RECURSIVE roots (id, root) AS (
  SELECT id, id FROM messages WHERE parent_id IS NULL
  UNION ALL
  SELECT m.id, r.root FROM messages m JOIN roots r ON m.parent_id = r.id
)
INSERT INTO messages_new (id, area_id, msg_num, from_user_id, from_name, to_user_id, to_name,
                          subject, body, parent_id, thread_root_id, created_at)
SELECT m.id, m.area_id,
       row_number() OVER (PARTITION BY m.area_id ORDER BY m.id),
       m.from_user_id, coalesce(f.username, 'Unknown'),
       m.to_user_id, coalesce(t.username, 'All'),
       m.subject, m.body, m.parent_id,
       CASE WHEN r.root = m.id THEN NULL ELSE r.root END,
       m.created_at
FROM messages m
LEFT JOIN users f ON f.id = m.from_user_id
LEFT JOIN users t ON t.id = m.to_user_id
LEFT JOIN roots r ON r.id = m.id;

-- Keep the id high-water mark, so ids of deleted rows are never reused.
DELETE FROM sqlite_sequence WHERE name = 'messages_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_new', seq FROM sqlite_sequence WHERE name = 'messages';

DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;

CREATE UNIQUE INDEX messages_area_num ON messages (area_id, msg_num);
CREATE INDEX messages_from_user ON messages (from_user_id);
CREATE INDEX messages_to_user ON messages (to_user_id, id);
CREATE INDEX messages_parent ON messages (parent_id);
CREATE INDEX messages_thread ON messages (thread_root_id, id);
CREATE UNIQUE INDEX messages_area_msgid ON messages (area_id, ftn_msgid);
CREATE INDEX messages_area_reply ON messages (area_id, ftn_reply);
