-- Back to messages without flags. Received times and flags are set aside for the up script to
-- restore; mail and to_name_key are recomputed from the rows, and the indexes rebuilt.
CREATE TABLE impulse_aside_0019_flags (
  id BIGINT PRIMARY KEY, received_at BIGINT, private SMALLINT, anonymous SMALLINT
);
INSERT INTO impulse_aside_0019_flags
SELECT id, received_at, private, anonymous FROM messages
WHERE received_at IS NOT NULL OR private <> 0 OR anonymous <> 0;

DROP INDEX messages_private;
DROP INDEX messages_to_name;
DROP INDEX messages_unreceived;
DROP INDEX messages_sent;
DROP INDEX messages_inbox;
ALTER TABLE messages DROP COLUMN to_name_key;
ALTER TABLE messages DROP COLUMN mail;
ALTER TABLE messages DROP COLUMN anonymous;
ALTER TABLE messages DROP COLUMN private;
ALTER TABLE messages DROP COLUMN received_at;
