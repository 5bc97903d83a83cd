DROP INDEX files_search;
ALTER TABLE files DROP COLUMN search;
DROP INDEX messages_search;
ALTER TABLE messages DROP COLUMN search;
