-- Back to messages with a bare area id: every message is kept; names, numbers, threads and
-- FidoNet ids go with the areas.
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
