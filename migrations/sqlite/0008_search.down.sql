DROP TRIGGER files_fts_update;
DROP TRIGGER files_fts_delete;
DROP TRIGGER files_fts_insert;
DROP TABLE files_fts;
DROP TRIGGER messages_fts_update;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_insert;
DROP TABLE messages_fts;
