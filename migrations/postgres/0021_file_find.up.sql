-- files.find searches every area by name: an index of the name keys (ASCII letters in lower
-- case) and ids, in which a wildcard's literal prefix is a range and the order of the results.
-- The keys compare byte for byte (COLLATE "C", the code point order of UTF-8, as SQLite's
-- BINARY), whatever the database's collation, so that a range holds exactly the keys of a
-- prefix and files.list by name orders as on SQLite. No key changes.
ALTER TABLE files ALTER COLUMN filename_key TYPE TEXT COLLATE "C";
CREATE INDEX files_name_key ON files (filename_key, id);
