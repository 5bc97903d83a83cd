-- Back to files without DIZ text, storage paths, offline flags or scan results. What goes is set
-- aside, by file id, for the up script to restore.
CREATE TABLE impulse_aside_0017_files (
  id BIGINT PRIMARY KEY, diz TEXT, storage_path TEXT, offline SMALLINT, scan_status TEXT
);
INSERT INTO impulse_aside_0017_files
SELECT id, diz, storage_path, offline, scan_status FROM files;

DROP INDEX files_area_downloads;
DROP INDEX files_area_size;
ALTER TABLE files
  DROP COLUMN scan_status,
  DROP COLUMN offline,
  DROP COLUMN storage_path,
  DROP COLUMN diz;
