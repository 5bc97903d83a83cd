-- accepts checksum 0457ae095137630d836daf7d0e987526bfd14401cb37efc6786df4c159f1a4a6
-- File areas, per-area unique file names (ASCII letters compare case-insensitively), hashes
-- and download counts. What the down script set aside comes back; every other area id used by
-- a file becomes an area row tagged "area<id>"; when that tag is taken, its key gets a U+001F
-- and the id appended, which no tag can hold, and it answers to no tag until renamed.
CREATE TABLE file_areas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX file_areas_tag_key ON file_areas (tag_key);

CREATE TABLE IF NOT EXISTS impulse_aside_0006_areas (
  id INT, tag TEXT, tag_key TEXT, name TEXT, created_at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0006_ids (name TEXT, seq INT);
CREATE TABLE IF NOT EXISTS impulse_aside_0006_files (
  id INTEGER PRIMARY KEY, area_id INT, filename TEXT, filename_key TEXT, sha256 TEXT,
  downloads INT
);

INSERT INTO file_areas (id, tag, tag_key, name, created_at)
SELECT id, tag, tag_key, name, created_at FROM impulse_aside_0006_areas;

WITH used (id, created_at) AS (
  SELECT area_id, min(uploaded_at) FROM files
  WHERE area_id NOT IN (SELECT id FROM file_areas) GROUP BY area_id
),
tagged (id, tag_key, created_at) AS (
  SELECT id, CASE WHEN EXISTS (SELECT 1 FROM file_areas a WHERE a.tag_key = 'area' || u.id)
                  THEN 'area' || id || char(31) || id ELSE 'area' || id END, created_at
  FROM used u
)
INSERT INTO file_areas (id, tag, tag_key, name, created_at)
SELECT id, 'area' || id, tag_key, 'Area ' || id, created_at FROM tagged;

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0006_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'file_areas');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0006_ids))
WHERE name = 'file_areas' AND EXISTS (SELECT 1 FROM impulse_aside_0006_ids);

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

-- A file set aside gets back its hash, its download count and, unless it was renamed or moved
-- meanwhile, its name key. Any other file's key is its name with ASCII letters in lower case.
-- A key that repeats in its area (the previous release allowed it) gets a U+001F and the id
-- appended, which no file name can hold (so no other key can be the same), but for one file:
-- the one whose key was set aside, else the oldest.
WITH keyed (id, area_id, k, kept, sha256, downloads) AS (
  SELECT f.id, f.area_id,
         CASE WHEN a.area_id = f.area_id AND a.filename = f.filename THEN a.filename_key
              ELSE lower(f.filename) END,
         coalesce(a.area_id = f.area_id AND a.filename = f.filename, 0),
         a.sha256, coalesce(a.downloads, 0)
  FROM files f LEFT JOIN impulse_aside_0006_files a ON a.id = f.id
)
INSERT INTO files_new (id, area_id, filename, filename_key, description, uploader_id, size,
                       sha256, downloads, uploaded_at)
SELECT f.id, f.area_id, f.filename,
       CASE WHEN row_number() OVER (PARTITION BY k.area_id, k.k ORDER BY k.kept DESC, k.id) = 1
            THEN k.k ELSE k.k || char(31) || k.id END,
       f.description, f.uploader_id, f.size, k.sha256, k.downloads, f.uploaded_at
FROM files f JOIN keyed k ON k.id = f.id;

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

DROP TABLE impulse_aside_0006_areas;
DROP TABLE impulse_aside_0006_ids;
DROP TABLE impulse_aside_0006_files;
