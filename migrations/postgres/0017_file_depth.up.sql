-- Files gain their FILE_ID.DIZ text, where the board keeps them, whether they are offline and
-- what the virus scan found ('clean' for the files there are: boards listed them before).
-- Lists by name, size and downloads search an index each (by upload time: files_area_uploaded;
-- by name: files_area_name). Booleans are the integers 0 and 1, as on SQLite.
ALTER TABLE files
  ADD COLUMN diz TEXT NOT NULL DEFAULT '',
  ADD COLUMN storage_path TEXT NOT NULL DEFAULT '',
  ADD COLUMN offline SMALLINT NOT NULL DEFAULT 0
    CONSTRAINT files_offline_check CHECK (offline IN (0, 1)),
  ADD COLUMN scan_status TEXT NOT NULL DEFAULT 'clean'
    CONSTRAINT files_scan_status_check
      CHECK (scan_status IN ('pending', 'clean', 'infected', 'failed'));

CREATE TABLE IF NOT EXISTS impulse_aside_0017_files (
  id BIGINT PRIMARY KEY, diz TEXT, storage_path TEXT, offline SMALLINT, scan_status TEXT
);
UPDATE files f SET diz = a.diz, storage_path = a.storage_path, offline = a.offline,
  scan_status = a.scan_status
FROM impulse_aside_0017_files a WHERE a.id = f.id;
DROP TABLE impulse_aside_0017_files;

CREATE INDEX files_area_size ON files (area_id, size, id);
CREATE INDEX files_area_downloads ON files (area_id, downloads, id);
