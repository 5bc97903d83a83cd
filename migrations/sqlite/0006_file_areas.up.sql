-- File areas, per-area unique file names (ASCII letters compare case-insensitively), hashes
-- and download counts. Every area id already used by a file becomes an area row.
CREATE TABLE file_areas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX file_areas_tag_key ON file_areas (tag_key);

INSERT INTO file_areas (id, tag, tag_key, name, created_at)
SELECT area_id, 'area' || area_id, 'area' || area_id, 'Area ' || area_id, min(uploaded_at)
FROM files GROUP BY area_id;

CREATE TABLE files_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_id INTEGER NOT NULL REFERENCES file_areas (id),
  filename TEXT NOT NULL,
  filename_key TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  uploader_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  size INTEGER NOT NULL CHECK (size BETWEEN 0 AND 9007199254740991),
  sha256 TEXT,
  downloads INTEGER NOT NULL DEFAULT 0 CHECK (downloads BETWEEN 0 AND 9007199254740991),
  uploaded_at INTEGER NOT NULL
) STRICT;

-- A name that repeats in its area (the previous release allowed it) keeps its text; its key
-- gets the id appended so the unique index holds.
INSERT INTO files_new (id, area_id, filename, filename_key, description, uploader_id, size, uploaded_at)
SELECT id, area_id, filename,
       CASE WHEN row_number() OVER (PARTITION BY area_id, lower(filename) ORDER BY id) = 1
            THEN lower(filename) ELSE lower(filename) || ' #' || id END,
       description, uploader_id, size, uploaded_at
FROM files;

-- Keep the id high-water mark, so ids of deleted rows are never reused.
DELETE FROM sqlite_sequence WHERE name = 'files_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'files_new', seq FROM sqlite_sequence WHERE name = 'files';

DROP TABLE files;
ALTER TABLE files_new RENAME TO files;

CREATE UNIQUE INDEX files_area_name ON files (area_id, filename_key);
CREATE INDEX files_area_uploaded ON files (area_id, uploaded_at DESC, id DESC);
CREATE INDEX files_uploaded ON files (uploaded_at DESC, id DESC);
CREATE INDEX files_uploader ON files (uploader_id);
CREATE INDEX files_sha256 ON files (sha256);
