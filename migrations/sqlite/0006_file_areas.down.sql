-- Back to files with a bare area id: every file is kept. What goes (the areas, with their id
-- high-water mark, and each file's name key, hash and download count) is set aside for the up
-- script to restore.
CREATE TABLE impulse_aside_0006_areas AS SELECT * FROM file_areas;
CREATE TABLE impulse_aside_0006_ids AS
SELECT name, seq FROM sqlite_sequence WHERE name = 'file_areas';
CREATE TABLE impulse_aside_0006_files (
  id INTEGER PRIMARY KEY, area_id INT, filename TEXT, filename_key TEXT, sha256 TEXT,
  downloads INT
);
INSERT INTO impulse_aside_0006_files
SELECT id, area_id, filename, filename_key, sha256, downloads FROM files;

CREATE TABLE files_old (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_id INTEGER NOT NULL CHECK (area_id > 0),
  filename TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  uploader_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  size INTEGER NOT NULL CHECK (size BETWEEN 0 AND 9007199254740991),
  uploaded_at INTEGER NOT NULL
) STRICT;

INSERT INTO files_old (id, area_id, filename, description, uploader_id, size, uploaded_at)
SELECT id, area_id, filename, description, uploader_id, size, uploaded_at FROM files;

-- Keep the id high-water mark, so ids of deleted rows are never reused.
DELETE FROM sqlite_sequence WHERE name = 'files_old';
INSERT INTO sqlite_sequence (name, seq) SELECT 'files_old', seq FROM sqlite_sequence WHERE name = 'files';

DROP TABLE files;
ALTER TABLE files_old RENAME TO files;
DROP TABLE file_areas;

CREATE INDEX files_area_uploaded ON files (area_id, uploaded_at DESC, id DESC);
CREATE INDEX files_uploader ON files (uploader_id);
