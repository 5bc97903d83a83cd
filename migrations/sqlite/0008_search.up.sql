-- Full-text search over messages (subject, body) and files (filename, description) with FTS5
-- external-content tables, kept in sync by triggers on insert, update and delete.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  subject, body, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (rowid, subject, body) SELECT id, subject, body FROM messages;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, body)
  VALUES ('delete', old.id, old.subject, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, body ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, subject, body)
  VALUES ('delete', old.id, old.subject, old.body);
  INSERT INTO messages_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;

CREATE VIRTUAL TABLE files_fts USING fts5 (
  filename, description, content = 'files', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO files_fts (rowid, filename, description) SELECT id, filename, description FROM files;

CREATE TRIGGER files_fts_insert AFTER INSERT ON files BEGIN
  INSERT INTO files_fts (rowid, filename, description) VALUES (new.id, new.filename, new.description);
END;
CREATE TRIGGER files_fts_delete AFTER DELETE ON files BEGIN
  INSERT INTO files_fts (files_fts, rowid, filename, description)
  VALUES ('delete', old.id, old.filename, old.description);
END;
CREATE TRIGGER files_fts_update AFTER UPDATE OF filename, description ON files BEGIN
  INSERT INTO files_fts (files_fts, rowid, filename, description)
  VALUES ('delete', old.id, old.filename, old.description);
  INSERT INTO files_fts (rowid, filename, description) VALUES (new.id, new.filename, new.description);
END;
