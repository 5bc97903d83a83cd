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
