-- File entries of file areas. Deleting the uploader keeps the entry.
CREATE TABLE files (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  area_id INTEGER NOT NULL CHECK (area_id > 0),
  filename TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  uploader_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  size INTEGER NOT NULL CHECK (size BETWEEN 0 AND 9007199254740991),
  uploaded_at INTEGER NOT NULL
) STRICT;

CREATE INDEX files_area_uploaded ON files (area_id, uploaded_at DESC, id DESC);
CREATE INDEX files_uploader ON files (uploader_id);

-- The files the down script set aside come back, with the id high-water mark; an uploader
-- deleted meanwhile is forgotten, as deleting them would have done.
CREATE TABLE IF NOT EXISTS impulse_aside_0002_files (
  id INT, area_id INT, filename TEXT, description TEXT, uploader_id INT, size INT, uploaded_at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0002_ids (name TEXT, seq INT);

INSERT INTO files (id, area_id, filename, description, uploader_id, size, uploaded_at)
SELECT id, area_id, filename, description,
       (SELECT u.id FROM users u WHERE u.id = a.uploader_id), size, uploaded_at
FROM impulse_aside_0002_files a;

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0002_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'files');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0002_ids))
WHERE name = 'files' AND EXISTS (SELECT 1 FROM impulse_aside_0002_ids);

DROP TABLE impulse_aside_0002_files;
DROP TABLE impulse_aside_0002_ids;
