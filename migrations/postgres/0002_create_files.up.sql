-- File entries of file areas. Deleting the uploader keeps the entry.
CREATE TABLE files (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  area_id BIGINT NOT NULL CHECK (area_id > 0),
  filename TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  uploader_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  size BIGINT NOT NULL CHECK (size BETWEEN 0 AND 9007199254740991),
  uploaded_at BIGINT NOT NULL
);

CREATE INDEX files_area_uploaded ON files (area_id, uploaded_at DESC, id DESC);
CREATE INDEX files_uploader ON files (uploader_id);

-- The files the down script set aside come back, with the id high-water mark; an uploader
-- deleted meanwhile is forgotten, as deleting them would have done.
CREATE TABLE IF NOT EXISTS impulse_aside_0002_files (LIKE files);
CREATE TABLE IF NOT EXISTS impulse_aside_0002_ids (name TEXT, seq BIGINT);

INSERT INTO files (id, area_id, filename, description, uploader_id, size, uploaded_at)
OVERRIDING SYSTEM VALUE
SELECT id, area_id, filename, description,
       (SELECT u.id FROM users u WHERE u.id = a.uploader_id), size, uploaded_at
FROM impulse_aside_0002_files a;

SELECT setval('files_id_seq', seq) FROM impulse_aside_0002_ids WHERE seq > 0;

DROP TABLE impulse_aside_0002_files, impulse_aside_0002_ids;
