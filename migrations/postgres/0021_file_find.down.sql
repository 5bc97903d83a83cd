-- Back to files without the index of name keys, the keys in the database's collation again; no
-- key changes.
DROP INDEX files_name_key;
ALTER TABLE files ALTER COLUMN filename_key TYPE TEXT COLLATE "default";
