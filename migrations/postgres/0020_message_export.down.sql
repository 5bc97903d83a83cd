-- Back to messages without the author's name key or export state. What goes is set aside for the
-- up script to restore: the addresses, imported flags and export times that differ from what the
-- up script gives a message of before it (no addresses, not imported, exported when written). The
-- author's name key is recomputed going up.
CREATE TABLE impulse_aside_0020_messages (
  id BIGINT PRIMARY KEY, orig_addr TEXT, dest_addr TEXT, imported SMALLINT, exported_at BIGINT
);
INSERT INTO impulse_aside_0020_messages
SELECT id, orig_addr, dest_addr, imported, exported_at FROM messages
WHERE orig_addr IS NOT NULL OR dest_addr IS NOT NULL OR imported <> 0
   OR exported_at IS DISTINCT FROM created_at;

DROP INDEX messages_unexported;
DROP INDEX messages_dest_addr;
DROP INDEX messages_orig_addr;
DROP INDEX messages_area_to_name;
DROP INDEX messages_area_from_name;
ALTER TABLE messages
  DROP COLUMN exported_at,
  DROP COLUMN imported,
  DROP COLUMN dest_addr,
  DROP COLUMN orig_addr,
  DROP COLUMN from_name_key;
