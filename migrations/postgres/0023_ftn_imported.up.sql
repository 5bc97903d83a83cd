-- What the FidoNet import brought into each area, kept when the board deletes or trims the
-- message (a tosser's dupe base): a message the area had once is not imported again on the next
-- poll. kind 'msgid': key is the MSGID; kind 'content': key is the SHA-256 (hex) of the names,
-- subject, date and text of a message without one. Deleting the area forgets its rows. What the
-- down script set aside comes back, for the areas still present.
CREATE TABLE ftn_imported (
  area_id BIGINT NOT NULL REFERENCES message_areas (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('msgid', 'content')),
  key TEXT NOT NULL,
  imported_at BIGINT NOT NULL,
  PRIMARY KEY (area_id, kind, key)
);

CREATE TABLE IF NOT EXISTS impulse_aside_0023_ftn_imported (
  area_id BIGINT,
  kind TEXT,
  key TEXT,
  imported_at BIGINT
);

INSERT INTO ftn_imported (area_id, kind, key, imported_at)
SELECT a.area_id, a.kind, a.key, a.imported_at FROM impulse_aside_0023_ftn_imported a
WHERE EXISTS (SELECT 1 FROM message_areas m WHERE m.id = a.area_id);

DROP TABLE impulse_aside_0023_ftn_imported;
