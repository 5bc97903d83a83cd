-- Files gain their FILE_ID.DIZ text, where the board keeps them, whether they are offline and
-- what the virus scan found ('clean' for the files there are: boards listed them before).
-- Lists by name, size and downloads search an index each (by upload time: files_area_uploaded;
-- by name: files_area_name).
ALTER TABLE files ADD COLUMN diz TEXT NOT NULL DEFAULT '';
ALTER TABLE files ADD COLUMN storage_path TEXT NOT NULL DEFAULT '';
ALTER TABLE files ADD COLUMN offline INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1));
ALTER TABLE files ADD COLUMN scan_status TEXT NOT NULL DEFAULT 'clean'
  CHECK (scan_status IN ('pending', 'clean', 'infected', 'failed'));

CREATE TABLE IF NOT EXISTS impulse_aside_0017_files (
  id INTEGER PRIMARY KEY, diz TEXT, storage_path TEXT, offline INT, scan_status TEXT
);
UPDATE files SET diz = a.diz, storage_path = a.storage_path, offline = a.offline,
  scan_status = a.scan_status
FROM impulse_aside_0017_files a WHERE a.id = files.id;
DROP TABLE impulse_aside_0017_files;

CREATE INDEX files_area_size ON files (area_id, size, id);
CREATE INDEX files_area_downloads ON files (area_id, downloads, id);
