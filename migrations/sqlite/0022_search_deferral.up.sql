-- A bulk write (a batch of the FidoNet import) indexes its messages for search once, at its end,
-- instead of one statement at a time (FTS5 writes a segment per statement, and merges them).
-- messages_fts_deferred holds a row only inside such a transaction, never once it commits:
-- while it does, the triggers leave the messages with ids above its after_id to that
-- transaction, which indexes them as they then are and deletes the row before it commits.
CREATE TABLE messages_fts_deferred (after_id INTEGER NOT NULL);

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN NOT EXISTS (SELECT 1 FROM messages_fts_deferred WHERE new.id > after_id) BEGIN
  INSERT INTO messages_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN NOT EXISTS (SELECT 1 FROM messages_fts_deferred WHERE old.id > after_id) BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, body)
  VALUES ('delete', old.id, old.subject, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, body ON messages
WHEN NOT EXISTS (SELECT 1 FROM messages_fts_deferred WHERE old.id > after_id) BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, body)
  VALUES ('delete', old.id, old.subject, old.body);
  INSERT INTO messages_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
