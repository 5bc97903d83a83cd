-- Back to files without DIZ text, storage paths, offline flags or scan results. What goes is set
-- aside, by file id, for the up script to restore.
CREATE TABLE impulse_aside_0017_files (
  id INTEGER PRIMARY KEY, diz TEXT, storage_path TEXT, offline INT, scan_status TEXT
);
INSERT INTO impulse_aside_0017_files
SELECT id, diz, storage_path, offline, scan_status FROM files;

DROP INDEX files_area_downloads;
DROP INDEX files_area_size;
ALTER TABLE files DROP COLUMN scan_status;
ALTER TABLE files DROP COLUMN offline;
ALTER TABLE files DROP COLUMN storage_path;
ALTER TABLE files DROP COLUMN diz;
