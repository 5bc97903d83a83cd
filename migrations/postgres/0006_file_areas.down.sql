-- Back to files with a bare area id: every file is kept. What goes (the areas, with their id
-- high-water mark, and each file's name key, hash and download count) is set aside for the up
-- script to restore.
CREATE TABLE impulse_aside_0006_areas AS SELECT * FROM file_areas;
CREATE TABLE impulse_aside_0006_ids AS
SELECT 'file_areas'::text AS name,
       CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS seq
FROM file_areas_id_seq;
CREATE TABLE impulse_aside_0006_files (
  id BIGINT PRIMARY KEY, area_id BIGINT, filename TEXT, filename_key TEXT, sha256 TEXT,
  downloads BIGINT
);
INSERT INTO impulse_aside_0006_files
SELECT id, area_id, filename, filename_key, sha256, downloads FROM files;

DROP INDEX files_sha256;
DROP INDEX files_uploaded;
DROP INDEX files_area_name;
ALTER TABLE files
  DROP CONSTRAINT files_area_id_fkey,
  DROP COLUMN downloads,
  DROP COLUMN sha256,
  DROP COLUMN filename_key;
DROP TABLE file_areas;
