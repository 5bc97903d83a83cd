-- accepts checksum 41d0ee0f2732cef463a9ba905908064ce29757d9a5e272ac032841e5d26a02b0
-- Message areas with per-area message numbers, names on messages, threads and FidoNet ids.
-- What the down script set aside comes back; every other area id used by a message becomes an
-- area row tagged "area<id>"; when that tag is taken, its key gets a U+001F and the id appended,
-- which no tag can hold (so it never meets a real tag), and it answers to no tag until renamed.
CREATE TABLE message_areas (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'local' CHECK (kind IN ('local', 'echomail', 'netmail', 'private')),
  echo_tag TEXT,
  last_msg_num BIGINT NOT NULL DEFAULT 0 CHECK (last_msg_num >= 0),
  msg_count BIGINT NOT NULL DEFAULT 0 CHECK (msg_count >= 0),
  created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX message_areas_tag_key ON message_areas (tag_key);

CREATE TABLE IF NOT EXISTS impulse_aside_0005_areas (LIKE message_areas);
CREATE TABLE IF NOT EXISTS impulse_aside_0005_ids (name TEXT, seq BIGINT);
CREATE TABLE IF NOT EXISTS impulse_aside_0005_messages (
  id BIGINT PRIMARY KEY, area_id BIGINT, parent_id BIGINT, msg_num BIGINT, from_name TEXT,
  to_name TEXT, thread_root_id BIGINT, ftn_msgid TEXT, ftn_reply TEXT, kludges TEXT
);

INSERT INTO message_areas (id, tag, tag_key, name, kind, echo_tag, last_msg_num, msg_count,
                           created_at)
OVERRIDING SYSTEM VALUE
SELECT id, tag, tag_key, name, kind, echo_tag, last_msg_num, msg_count, created_at
FROM impulse_aside_0005_areas;

WITH used (id, created_at) AS (
  SELECT area_id, min(created_at) FROM messages
  WHERE area_id NOT IN (SELECT id FROM message_areas) GROUP BY area_id
),
tagged (id, tag_key, created_at) AS (
  SELECT id, CASE WHEN EXISTS (SELECT 1 FROM message_areas a WHERE a.tag_key = 'area' || u.id)
                  THEN 'area' || id || chr(31) || id ELSE 'area' || id END, created_at
  FROM used u
)
INSERT INTO message_areas (id, tag, tag_key, name, created_at)
OVERRIDING SYSTEM VALUE
SELECT id, 'area' || id, tag_key, 'Area ' || id, created_at FROM tagged;

SELECT setval('message_areas_id_seq',
              greatest(coalesce(max(id), 0), (SELECT coalesce(max(seq), 0) FROM impulse_aside_0005_ids)) + 1,
              false)
FROM message_areas;

ALTER TABLE messages
  ADD COLUMN msg_num BIGINT,
  ADD COLUMN from_name TEXT,
  ADD COLUMN to_name TEXT,
  ADD COLUMN thread_root_id BIGINT,
  ADD COLUMN ftn_msgid TEXT,
  ADD COLUMN ftn_reply TEXT,
  ADD COLUMN kludges TEXT NOT NULL DEFAULT '[]';

-- A message set aside gets back its names, FidoNet ids, kludges, its number (unless it moved
-- to another area meanwhile) and its thread (unless its parent changed other than by being
-- deleted). Any other message is numbered after its area's high-water mark, named after its
-- users and threaded under its parent's root. A FidoNet id taken twice in an area stays with
-- the message that did not move, else the oldest.
WITH RECURSIVE
old (id, area_id, parent_id, from_user_id, to_user_id, found, same, keep_root, msg_num,
     from_name, to_name, root, ftn_msgid, ftn_reply, kludges) AS (
  SELECT m.id, m.area_id, m.parent_id, m.from_user_id, m.to_user_id, a.id IS NOT NULL,
         a.id IS NOT NULL AND a.area_id = m.area_id,
         a.id IS NOT NULL AND (a.parent_id IS NOT DISTINCT FROM m.parent_id OR (
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
  WHERE a.parent_id IS DISTINCT FROM m.parent_id
),
base (area_id, n) AS (
  SELECT a.id, greatest(a.last_msg_num, coalesce(k.n, 0))
  FROM message_areas a
  LEFT JOIN (SELECT area_id, max(msg_num) AS n FROM old WHERE same GROUP BY area_id) k
    ON k.area_id = a.id
),
restored (id, msg_num, from_name, to_name, thread_root_id, ftn_msgid, ftn_reply, kludges) AS (
  SELECT o.id,
         CASE WHEN o.same THEN o.msg_num
              ELSE b.n + row_number() OVER (PARTITION BY o.area_id, o.same ORDER BY o.id) END,
         CASE WHEN o.found THEN o.from_name
              ELSE coalesce((SELECT username FROM users WHERE id = o.from_user_id), 'Unknown') END,
         CASE WHEN o.found THEN o.to_name
              ELSE coalesce((SELECT username FROM users WHERE id = o.to_user_id), 'All') END,
         CASE WHEN r.root = o.id THEN NULL ELSE r.root END,
         CASE WHEN row_number() OVER (PARTITION BY o.area_id, o.ftn_msgid
                                      ORDER BY o.same DESC, o.id) = 1
              THEN o.ftn_msgid END,
         o.ftn_reply, coalesce(o.kludges, '[]')
  FROM old o JOIN base b ON b.area_id = o.area_id LEFT JOIN roots r ON r.id = o.id
)
UPDATE messages m
SET msg_num = r.msg_num, from_name = r.from_name, to_name = r.to_name,
    thread_root_id = r.thread_root_id, ftn_msgid = r.ftn_msgid, ftn_reply = r.ftn_reply,
    kludges = r.kludges
FROM restored r
WHERE r.id = m.id;

ALTER TABLE messages
  ALTER COLUMN msg_num SET NOT NULL,
  ALTER COLUMN from_name SET NOT NULL,
  ALTER COLUMN to_name SET NOT NULL,
  ADD CONSTRAINT messages_msg_num_check CHECK (msg_num > 0),
  ADD CONSTRAINT messages_area_id_fkey FOREIGN KEY (area_id) REFERENCES message_areas (id);

DROP INDEX messages_area;
DROP INDEX messages_to_user;
CREATE UNIQUE INDEX messages_area_num ON messages (area_id, msg_num);
CREATE INDEX messages_to_user ON messages (to_user_id, id);
CREATE INDEX messages_thread ON messages (thread_root_id, id);
CREATE UNIQUE INDEX messages_area_msgid ON messages (area_id, ftn_msgid);
CREATE INDEX messages_area_reply ON messages (area_id, ftn_reply);

-- Each area's high-water mark covers its numbers; its count gains the messages numbered here
-- and loses those set aside that were deleted or moved meanwhile.
UPDATE message_areas a SET last_msg_num = greatest(a.last_msg_num, t.n)
FROM (SELECT area_id, max(msg_num) AS n FROM messages GROUP BY area_id) AS t
WHERE t.area_id = a.id;

UPDATE message_areas a SET msg_count = greatest(0, a.msg_count + d.n)
FROM (
  SELECT area_id, sum(n) AS n FROM (
    SELECT m.area_id, 1 AS n FROM messages m
    LEFT JOIN impulse_aside_0005_messages o ON o.id = m.id
    WHERE o.id IS NULL OR o.area_id <> m.area_id
    UNION ALL
    SELECT o.area_id, -1 FROM impulse_aside_0005_messages o
    LEFT JOIN messages m ON m.id = o.id
    WHERE m.id IS NULL OR m.area_id <> o.area_id
  ) AS changes GROUP BY area_id
) AS d
WHERE d.area_id = a.id;

DROP TABLE impulse_aside_0005_areas, impulse_aside_0005_ids, impulse_aside_0005_messages;
