-- Message areas with per-area message numbers, names on messages, threads and FidoNet ids.
-- Every area id already used by a message becomes an area row (tag "area<id>").
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

INSERT INTO message_areas (id, tag, tag_key, name, last_msg_num, msg_count, created_at)
OVERRIDING SYSTEM VALUE
SELECT area_id, 'area' || area_id, 'area' || area_id, 'Area ' || area_id, count(*), count(*),
       min(created_at)
FROM messages GROUP BY area_id;

SELECT setval(pg_get_serial_sequence('message_areas', 'id'), coalesce(max(id), 0) + 1, false)
FROM message_areas;

ALTER TABLE messages
  ADD COLUMN msg_num BIGINT,
  ADD COLUMN from_name TEXT,
  ADD COLUMN to_name TEXT,
  ADD COLUMN thread_root_id BIGINT,
  ADD COLUMN ftn_msgid TEXT,
  ADD COLUMN ftn_reply TEXT,
  ADD COLUMN kludges TEXT NOT NULL DEFAULT '[]';

WITH RECURSIVE roots (id, root) AS (
  SELECT id, id FROM messages WHERE parent_id IS NULL
  UNION ALL
  SELECT m.id, r.root FROM messages m JOIN roots r ON m.parent_id = r.id
),
numbered AS (
  SELECT id, row_number() OVER (PARTITION BY area_id ORDER BY id) AS num FROM messages
)
UPDATE messages m
SET msg_num = n.num,
    from_name = coalesce((SELECT username FROM users WHERE id = m.from_user_id), 'Unknown'),
    to_name = coalesce((SELECT username FROM users WHERE id = m.to_user_id), 'All'),
    thread_root_id = CASE WHEN r.root = m.id THEN NULL ELSE r.root END
FROM numbered n LEFT JOIN roots r ON r.id = n.id
WHERE n.id = m.id;

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
