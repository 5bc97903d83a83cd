-- File areas, per-area unique file names (ASCII letters compare case-insensitively), hashes
-- and download counts. Every area id already used by a file becomes an area row.
CREATE TABLE file_areas (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX file_areas_tag_key ON file_areas (tag_key);

INSERT INTO file_areas (id, tag, tag_key, name, created_at)
OVERRIDING SYSTEM VALUE
SELECT area_id, 'area' || area_id, 'area' || area_id, 'Area ' || area_id, min(uploaded_at)
FROM files GROUP BY area_id;

SELECT setval(pg_get_serial_sequence('file_areas', 'id'), coalesce(max(id), 0) + 1, false)
FROM file_areas;

ALTER TABLE files
  ADD COLUMN filename_key TEXT,
  ADD COLUMN sha256 TEXT,
  ADD COLUMN downloads BIGINT NOT NULL DEFAULT 0
    CONSTRAINT files_downloads_check CHECK (downloads BETWEEN 0 AND 9007199254740991);

-- A name that repeats in its area (the previous release allowed it) keeps its text; its key
-- gets the id appended so the unique index holds.
WITH keyed AS (
  SELECT id, translate(filename, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS k,
         row_number() OVER (
           PARTITION BY area_id, translate(filename, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
           ORDER BY id
         ) AS n
  FROM files
)
UPDATE files f SET filename_key = CASE WHEN keyed.n = 1 THEN keyed.k ELSE keyed.k || ' #' || f.id END
FROM keyed WHERE keyed.id = f.id;

ALTER TABLE files
  ALTER COLUMN filename_key SET NOT NULL,
  ADD CONSTRAINT files_area_id_fkey FOREIGN KEY (area_id) REFERENCES file_areas (id);

CREATE UNIQUE INDEX files_area_name ON files (area_id, filename_key);
CREATE INDEX files_uploaded ON files (uploaded_at DESC, id DESC);
CREATE INDEX files_sha256 ON files (sha256);
