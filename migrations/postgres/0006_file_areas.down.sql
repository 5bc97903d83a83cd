-- Back to files with a bare area id: every file is kept.
DROP INDEX files_sha256;
DROP INDEX files_uploaded;
DROP INDEX files_area_name;
ALTER TABLE files
  DROP CONSTRAINT files_area_id_fkey,
  DROP COLUMN downloads,
  DROP COLUMN sha256,
  DROP COLUMN filename_key;
DROP TABLE file_areas;
