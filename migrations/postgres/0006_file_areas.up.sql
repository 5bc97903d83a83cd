-- accepts checksum 2f47e914ef1512769221f9cb222e3380a787750dc82c51441a55ab181d14bfe2
-- File areas, per-area unique file names (ASCII letters compare case-insensitively), hashes
-- and download counts. What the down script set aside comes back; every other area id used by
-- a file becomes an area row tagged "area<id>"; when that tag is taken, its key gets a U+001F
-- and the id appended, which no tag can hold, and it answers to no tag until renamed.
CREATE TABLE file_areas (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX file_areas_tag_key ON file_areas (tag_key);

CREATE TABLE IF NOT EXISTS impulse_aside_0006_areas (LIKE file_areas);
CREATE TABLE IF NOT EXISTS impulse_aside_0006_ids (name TEXT, seq BIGINT);
CREATE TABLE IF NOT EXISTS impulse_aside_0006_files (
  id BIGINT PRIMARY KEY, area_id BIGINT, filename TEXT, filename_key TEXT, sha256 TEXT,
  downloads BIGINT
);

INSERT INTO file_areas (id, tag, tag_key, name, created_at)
OVERRIDING SYSTEM VALUE
SELECT id, tag, tag_key, name, created_at FROM impulse_aside_0006_areas;

WITH used (id, created_at) AS (
  SELECT area_id, min(uploaded_at) FROM files
  WHERE area_id NOT IN (SELECT id FROM file_areas) GROUP BY area_id
),
tagged (id, tag_key, created_at) AS (
  SELECT id, CASE WHEN EXISTS (SELECT 1 FROM file_areas a WHERE a.tag_key = 'area' || u.id)
                  THEN 'area' || id || chr(31) || id ELSE 'area' || id END, created_at
  FROM used u
)
INSERT INTO file_areas (id, tag, tag_key, name, created_at)
OVERRIDING SYSTEM VALUE
SELECT id, 'area' || id, tag_key, 'Area ' || id, created_at FROM tagged;

SELECT setval('file_areas_id_seq',
              greatest(coalesce(max(id), 0), (SELECT coalesce(max(seq), 0) FROM impulse_aside_0006_ids)) + 1,
              false)
FROM file_areas;

ALTER TABLE files
  ADD COLUMN filename_key TEXT,
  ADD COLUMN sha256 TEXT,
  ADD COLUMN downloads BIGINT NOT NULL DEFAULT 0
    CONSTRAINT files_downloads_check CHECK (downloads BETWEEN 0 AND 9007199254740991);

-- A file set aside gets back its hash, its download count and, unless it was renamed or moved
-- meanwhile, its name key. Any other file's key is its name with ASCII letters in lower case.
-- A key that repeats in its area (the previous release allowed it) gets a U+001F and the id
-- appended, which no file name can hold (so no other key can be the same), but for one file:
-- the one whose key was set aside, else the oldest.
WITH keyed (id, area_id, k, kept, sha256, downloads) AS (
  SELECT f.id, f.area_id,
         CASE WHEN a.area_id = f.area_id AND a.filename = f.filename THEN a.filename_key
              ELSE translate(f.filename, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') END,
         coalesce(a.area_id = f.area_id AND a.filename = f.filename, false),
         a.sha256, coalesce(a.downloads, 0)
  FROM files f LEFT JOIN impulse_aside_0006_files a ON a.id = f.id
),
unique_keys (id, k, sha256, downloads) AS (
  SELECT id,
         CASE WHEN row_number() OVER (PARTITION BY area_id, k ORDER BY kept DESC, id) = 1
              THEN k ELSE k || chr(31) || id END,
         sha256, downloads
  FROM keyed
)
UPDATE files f SET filename_key = u.k, sha256 = u.sha256, downloads = u.downloads
FROM unique_keys u WHERE u.id = f.id;

ALTER TABLE files
  ALTER COLUMN filename_key SET NOT NULL,
  ADD CONSTRAINT files_area_id_fkey FOREIGN KEY (area_id) REFERENCES file_areas (id);

CREATE UNIQUE INDEX files_area_name ON files (area_id, filename_key);
CREATE INDEX files_uploaded ON files (uploaded_at DESC, id DESC);
CREATE INDEX files_sha256 ON files (sha256);

DROP TABLE impulse_aside_0006_areas, impulse_aside_0006_ids, impulse_aside_0006_files;
