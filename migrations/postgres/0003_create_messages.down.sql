-- Messages are set aside, not dropped: the up script restores them, with the id high-water mark.
CREATE TABLE impulse_aside_0003_messages AS SELECT * FROM messages;
CREATE TABLE impulse_aside_0003_ids AS
SELECT 'messages'::text AS name, CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS seq
FROM messages_id_seq;
DROP TABLE messages;
