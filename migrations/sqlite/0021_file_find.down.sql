-- Back to files without the index of name keys; nothing else changed.
DROP INDEX files_name_key;
