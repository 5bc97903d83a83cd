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
