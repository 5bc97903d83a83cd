-- accepts checksum a018992ce221241cb2a9a5dca30d6693542a4e63ce18e7f62c071898b3ecb408
-- Message areas with per-area message numbers, names on messages, threads and FidoNet ids.
-- What the down script set aside comes back; every other area id used by a message becomes an
-- area row tagged "area<id>"; when that tag is taken, its key gets a U+001F and the id appended,
-- which no tag can hold (so it never meets a real tag), and it answers to no tag until renamed.
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

CREATE TABLE IF NOT EXISTS impulse_aside_0005_areas (
  id INT, tag TEXT, tag_key TEXT, name TEXT, kind TEXT, echo_tag TEXT, last_msg_num INT,
  msg_count INT, created_at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0005_ids (name TEXT, seq INT);
CREATE TABLE IF NOT EXISTS impulse_aside_0005_messages (
  id INTEGER PRIMARY KEY, area_id INT, parent_id INT, msg_num INT, from_name TEXT,
  to_name TEXT, thread_root_id INT, ftn_msgid TEXT, ftn_reply TEXT, kludges TEXT
);

INSERT INTO message_areas (id, tag, tag_key, name, kind, echo_tag, last_msg_num, msg_count,
                           created_at)
SELECT id, tag, tag_key, name, kind, echo_tag, last_msg_num, msg_count, created_at
FROM impulse_aside_0005_areas;

WITH used (id, created_at) AS (
  SELECT area_id, min(created_at) FROM messages
  WHERE area_id NOT IN (SELECT id FROM message_areas) GROUP BY area_id
),
tagged (id, tag_key, created_at) AS (
  SELECT id, CASE WHEN EXISTS (SELECT 1 FROM message_areas a WHERE a.tag_key = 'area' || u.id)
                  THEN 'area' || id || char(31) || id ELSE 'area' || id END, created_at
  FROM used u
)
INSERT INTO message_areas (id, tag, tag_key, name, created_at)
SELECT id, 'area' || id, tag_key, 'Area ' || id, created_at FROM tagged;

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0005_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'message_areas');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0005_ids))
WHERE name = 'message_areas' AND EXISTS (SELECT 1 FROM impulse_aside_0005_ids);

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

-- A message set aside gets back its names, FidoNet ids, kludges, its number (unless it moved
-- to another area meanwhile) and its thread (unless its parent changed other than by being
-- deleted). Any other message is numbered after its area's high-water mark, named after its
-- users and threaded under its parent's root. A FidoNet id taken twice in an area stays with
-- the message that did not move, else the oldest.
WITH RECURSIVE
old (id, area_id, parent_id, found, same, keep_root, msg_num, from_name, to_name, root,
     ftn_msgid, ftn_reply, kludges) AS (
  SELECT m.id, m.area_id, m.parent_id, a.id IS NOT NULL,
         a.id IS NOT NULL AND a.area_id = m.area_id,
         a.id IS NOT NULL AND (a.parent_id IS m.parent_id OR (
           m.parent_id IS NULL AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.id = a.parent_id))),
         a.msg_num, a.from_name, a.to_name, a.thread_root_id, a.ftn_msgid, a.ftn_reply, a.kludges
  FROM messages m LEFT JOIN impulse_aside_0005_messages a ON a.id = m.id
),
roots (id, root) AS (
  SELECT id, CASE WHEN keep_root THEN coalesce(root, id) ELSE id END FROM old
  WHERE keep_root OR parent_id IS NULL
  UNION ALL
  SELECT m.id, r.root FROM roots r JOIN messages m ON m.parent_id = r.id
  LEFT JOIN impulse_aside_0005_messages a ON a.id = m.id
  WHERE a.parent_id IS NOT m.parent_id
),
base (area_id, n) AS (
  SELECT a.id, max(a.last_msg_num, coalesce(k.n, 0))
  FROM message_areas a
  LEFT JOIN (SELECT area_id, max(msg_num) AS n FROM old WHERE same GROUP BY area_id) k
    ON k.area_id = a.id
),
numbered (id, msg_num, ftn_msgid) AS (
  SELECT o.id,
         CASE WHEN o.same THEN o.msg_num
              ELSE b.n + row_number() OVER (PARTITION BY o.area_id, o.same ORDER BY o.id) END,
         CASE WHEN row_number() OVER (PARTITION BY o.area_id, o.ftn_msgid
                                      ORDER BY o.same DESC, o.id) = 1
              THEN o.ftn_msgid END
  FROM old o JOIN base b ON b.area_id = o.area_id
)
INSERT INTO messages_new (id, area_id, msg_num, from_user_id, from_name, to_user_id, to_name,
                          subject, body, parent_id, thread_root_id, ftn_msgid, ftn_reply,
                          kludges, created_at)
SELECT m.id, m.area_id, n.msg_num,
       m.from_user_id, CASE WHEN o.found THEN o.from_name ELSE coalesce(f.username, 'Unknown') END,
       m.to_user_id, CASE WHEN o.found THEN o.to_name ELSE coalesce(t.username, 'All') END,
       m.subject, m.body, m.parent_id,
       CASE WHEN r.root = m.id THEN NULL ELSE r.root END,
       n.ftn_msgid, o.ftn_reply, coalesce(o.kludges, '[]'), m.created_at
FROM messages m
JOIN old o ON o.id = m.id
JOIN numbered n ON n.id = m.id
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

-- Each area's high-water mark covers its numbers; its count gains the messages numbered here
-- and loses those set aside that were deleted or moved meanwhile.
UPDATE message_areas SET last_msg_num = max(last_msg_num, t.n)
FROM (SELECT area_id, max(msg_num) AS n FROM messages GROUP BY area_id) AS t
WHERE t.area_id = message_areas.id;

UPDATE message_areas SET msg_count = max(0, msg_count + d.n)
FROM (
  SELECT area_id, sum(n) AS n FROM (
    SELECT m.area_id, 1 AS n FROM messages m
    LEFT JOIN impulse_aside_0005_messages a ON a.id = m.id
    WHERE a.id IS NULL OR a.area_id <> m.area_id
    UNION ALL
    SELECT a.area_id, -1 FROM impulse_aside_0005_messages a
    LEFT JOIN messages m ON m.id = a.id
    WHERE m.id IS NULL OR m.area_id <> a.area_id
  ) GROUP BY area_id
) AS d
WHERE d.area_id = message_areas.id;

DROP TABLE impulse_aside_0005_areas;
DROP TABLE impulse_aside_0005_ids;
DROP TABLE impulse_aside_0005_messages;
