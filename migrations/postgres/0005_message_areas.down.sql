-- Back to messages with a bare area id: every message is kept. What goes (the areas, with
-- their id high-water mark, and each message's number, names, thread, FidoNet ids and
-- kludges) is set aside for the up script to restore.
CREATE TABLE impulse_aside_0005_areas AS SELECT * FROM message_areas;
CREATE TABLE impulse_aside_0005_ids AS
SELECT 'message_areas'::text AS name,
       CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS seq
FROM message_areas_id_seq;
CREATE TABLE impulse_aside_0005_messages (
  id BIGINT PRIMARY KEY, area_id BIGINT, parent_id BIGINT, msg_num BIGINT, from_name TEXT,
  to_name TEXT, thread_root_id BIGINT, ftn_msgid TEXT, ftn_reply TEXT, kludges TEXT
);
INSERT INTO impulse_aside_0005_messages
SELECT id, area_id, parent_id, msg_num, from_name, to_name, thread_root_id, ftn_msgid,
       ftn_reply, kludges
FROM messages;

DROP INDEX messages_area_reply;
DROP INDEX messages_area_msgid;
DROP INDEX messages_thread;
DROP INDEX messages_to_user;
DROP INDEX messages_area_num;
ALTER TABLE messages
  DROP CONSTRAINT messages_area_id_fkey,
  DROP COLUMN kludges,
  DROP COLUMN ftn_reply,
  DROP COLUMN ftn_msgid,
  DROP COLUMN thread_root_id,
  DROP COLUMN to_name,
  DROP COLUMN from_name,
  DROP COLUMN msg_num;
CREATE INDEX messages_area ON messages (area_id, id);
CREATE INDEX messages_to_user ON messages (to_user_id);
DROP TABLE message_areas;
