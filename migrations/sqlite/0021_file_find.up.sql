-- files.find searches every area by name: an index of the name keys (ASCII letters in lower
-- case) and ids, in which a wildcard's literal prefix is a range and the order of the results.
-- SQLite compares text byte for byte (BINARY), the code point order of UTF-8.
CREATE INDEX files_name_key ON files (filename_key, id);
